from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from core.errors import GuardFailed
from core.validation import ascii_digits


class StandardPagination(PageNumberPagination):
    """SPEC section 5: ?page= and ?page_size= (at most 200). Numbers are written with the digits 0-9: int()
    would read "٢" as 2, and "²" would fail deep inside the paginator."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        number = request.query_params.get(self.page_query_param) or 1
        # "abc" stays DRF's 404 (an invalid page); digits other than 0-9 would be read as a number
        if isinstance(number, str) and any(ch.isdigit() and not ch.isascii() for ch in number):
            raise GuardFailed(_("Bitte eine Seitenzahl angeben."), field=self.page_query_param)
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw and not ascii_digits(raw.strip()):
            raise GuardFailed(_("Bitte eine Seitengröße angeben."), field=self.page_size_query_param)
        return super().get_page_size(request)


class CataloguePagination(StandardPagination):
    """The catalogue allows pages of up to 500."""

    max_page_size = 500
