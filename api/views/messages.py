"""POST /api/v1/enquiries/{id}/messages/: a free message to the municipality (``cases.messages``), no state
change. Thin door: fetch the case the caller may see (404 otherwise), hand the body's two texts to the service,
answer with the new timeline entry in the shape of GET .../timeline/.

The service checks the right before the texts (403 before 400, like the transitions); so the body is handed on as
it came and ``text_clean`` in the service parses it (a non-text, NUL, length, the subject's line breaks: 400
naming the field). ``FreeMessageInput`` describes the body for the schema."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.enquiries import ActivitySerializer
from api.views.enquiries import IsStaffMember
from cases.inputs import MAX_TEXT
from cases.messages import MAX_SUBJECT, enquiry_message_send
from cases.selectors import enquiry_get_visible
from core.errors import GuardFailed


class FreeMessageInput(serializers.Serializer):
    message = serializers.CharField(max_length=MAX_TEXT, help_text="the text of the e-mail; also on the timeline")
    subject = serializers.CharField(
        required=False,
        max_length=MAX_SUBJECT,
        help_text='one line; default "Nachricht zu Ihrer Anfrage"; the reference is put before it',
    )


class EnquiryMessageView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        operation_id="v1_enquiries_messages_create",
        summary="Nachricht an die Kommune",
        description=(
            "An e-mail to the case's contact address (Reply-To: the case's plus-address, so a reply lands on the "
            "case) and a public timeline entry of kind email_out. No state change. Who may take request_info "
            "may send it."
        ),
        request=FreeMessageInput,
        responses={201: ActivitySerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        enquiry = enquiry_get_visible(user=request.user, pk=pk)
        body: Any = request.data
        if not hasattr(body, "get"):
            raise GuardFailed(_("Der Inhalt muss ein JSON-Objekt sein."), field="non_field_errors")
        activity = enquiry_message_send(
            enquiry=enquiry, by=request.user, message=body.get("message"), subject=body.get("subject", "")
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)
