"""``benchmarks.lists``'s URLconf: the project's routes and the stack floors, two minimal views on the same stack
(the middleware, the session or the API's authentication, the staff check) that run a figure's raw-SQL floor and
return its JSON. What a list page costs above its stack floor is what our code adds; the rest is the
framework's fixed cost of any signed-in request."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from rest_framework.request import Request
from rest_framework.views import APIView

from api.views.enquiries import IsStaffMember
from settings.urls import urlpatterns as project_urlpatterns

# figure number -> its raw-SQL floor (a callable returning JSON text), filled by benchmarks.lists
FLOORS: dict[int, Callable[[], str]] = {}


def _floor(number: int) -> HttpResponse:
    if number not in FLOORS:
        raise Http404
    return HttpResponse(FLOORS[number](), content_type="application/json")


@login_required
def web_floor(request: HttpRequest, number: int) -> HttpResponse:
    return _floor(number)


class ApiFloor(APIView):
    permission_classes = [IsStaffMember]

    def get(self, request: Request, number: int) -> Any:
        return _floor(number)


urlpatterns = [
    path("bench-floor/web/<int:number>/", web_floor),
    path("bench-floor/api/<int:number>/", ApiFloor.as_view()),
    *project_urlpatterns,
]
