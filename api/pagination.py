from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """SPEC section 5: ?page= and ?page_size= (at most 200)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CataloguePagination(StandardPagination):
    """The catalogue allows pages of up to 500."""

    max_page_size = 500
