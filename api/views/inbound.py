"""Inbound e-mail (SPEC sections 5 and 10): the coordinators' list of mail that belongs to no case and what they
do with it (file it on a case, turn it into an enquiry, dismiss it), and the downloads of attachments and
originals for staff who may see the case.

Thin doors: parse, fetch what the caller may see (``conversation.selectors``: 404 for what they may not), call
one service of ``conversation.triage``, render. Managers read the list, coordinators act (403 for the others).
Downloads never answer the sender's content type: an attachment is ``application/octet-stream``, the original
``message/rfc822``, both ``Content-Disposition: attachment`` with ``nosniff``; a file gone from the storage is a
404.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import StandardPagination
from api.serializers.inbound import (
    InboundEmailCreatedSerializer,
    InboundEmailEnquirySerializer,
    InboundEmailFileSerializer,
    InboundEmailSerializer,
)
from api.views.enquiries import IsStaffMember
from conversation.models import InboundEmail
from conversation.selectors import (
    attachment_get_visible,
    inbound_email_get_visible,
    inbound_emails_list,
    may_read_stray_mail,
)
from conversation.triage import (
    enquiry_find_for_filing,
    inbound_email_dismiss,
    inbound_email_file,
    inbound_email_to_enquiry,
    municipality_find,
)
from core.errors import GuardFailed, NotVisible

logger = logging.getLogger(__name__)


class MayReadStrayMail(permissions.BasePermission):
    """Coordinators and managers; anonymous callers 401, other accounts (partner staff) 403."""

    message = gettext_lazy("Nur die Koordination bearbeitet nicht zugeordnete E-Mails.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and may_read_stray_mail(request.user))


def _mail_response(request: Request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    email = inbound_email_get_visible(user=request.user, pk=pk)
    return Response(InboundEmailSerializer(email, context={"request": request}).data, status=status_code)


def _object_body(request: Request) -> Any:
    if not isinstance(request.data, dict):
        raise GuardFailed(_("Der Inhalt muss ein JSON-Objekt sein."), field="non_field_errors")
    return request.data


def _download(file_field: Any, *, filename: str, content_type: str) -> FileResponse:
    """The file streamed from the mail storage as a download; NotVisible (404) when it is gone."""
    if not file_field or not file_field.name:
        raise NotVisible(_("Die Datei ist nicht mehr vorhanden."))
    try:
        handle = file_field.storage.open(file_field.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise NotVisible(_("Die Datei ist nicht mehr vorhanden.")) from exc
    # a sender's name may carry control characters or path parts; the header gets neither
    filename = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in filename).strip() or "download"
    response = FileResponse(handle, as_attachment=True, filename=filename[:200], content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # a file of a case: no browser or proxy keeps a copy
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class InboundEmailListView(APIView):
    """GET: the mails of one status (default: unmatched, waiting for a coordinator), newest first, paginated."""

    permission_classes = [MayReadStrayMail]

    @extend_schema(
        responses=InboundEmailSerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=list(InboundEmail.Status.values), description="Standard: unmatched"),
            OpenApiParameter("q", str, description="Suche in Absender, Betreff und Text"),
        ],
    )
    def get(self, request: Request) -> Response:
        emails = inbound_emails_list(status=request.query_params.get("status"), q=request.query_params.get("q"))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(emails, request, view=self)
        return paginator.get_paginated_response(
            InboundEmailSerializer(page, many=True, context={"request": request}).data
        )


class InboundEmailDetailView(APIView):
    """GET one mail: coordinators and managers any, other staff one on a case they may see."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses=InboundEmailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _mail_response(request, pk)


class InboundEmailFileView(APIView):
    permission_classes = [MayReadStrayMail]

    @extend_schema(
        summary="Einem Fall zuordnen",
        description="Files the mail on the case (as if threaded: the contact's mail may take receive_reply). "
        "409 when the mail no longer waits.",
        request=InboundEmailFileSerializer,
        responses=InboundEmailSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        email = inbound_email_get_visible(user=request.user, pk=pk)
        body = _object_body(request)
        if "enquiry" not in body or body["enquiry"] in (None, ""):
            raise GuardFailed(_("Bitte eine Anfrage angeben (Nummer oder Aktenzeichen)."), field="enquiry")
        enquiry = enquiry_find_for_filing(value=body["enquiry"])
        inbound_email_file(email=email, enquiry=enquiry, by=request.user)
        return _mail_response(request, email.pk)


class InboundEmailEnquiryView(APIView):
    permission_classes = [MayReadStrayMail]

    @extend_schema(
        summary="Als neue Anfrage anlegen",
        description="Creates an enquiry (channel email, the sender as contact) and files the mail on it. "
        "409 when the mail no longer waits.",
        request=InboundEmailEnquirySerializer,
        responses={201: InboundEmailCreatedSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        email = inbound_email_get_visible(user=request.user, pk=pk)
        serializer = InboundEmailEnquirySerializer(data=_object_body(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        enquiry = inbound_email_to_enquiry(
            email=email,
            by=request.user,
            municipality=municipality_find(value=data["municipality"]),
            subject=data.get("subject"),
            message=data.get("message"),
            topics=data.get("topics"),
            support_type=data["support_type"],
            contact_name=data.get("contact_name"),
        )
        answer = {"enquiry": enquiry.pk, "reference": enquiry.reference}
        return Response(InboundEmailCreatedSerializer(answer).data, status=status.HTTP_201_CREATED)


class InboundEmailDismissView(APIView):
    permission_classes = [MayReadStrayMail]

    @extend_schema(summary="Verwerfen", request=None, responses=InboundEmailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        email = inbound_email_get_visible(user=request.user, pk=pk)
        inbound_email_dismiss(email=email, by=request.user)
        return _mail_response(request, email.pk)


class InboundEmailOriginalView(APIView):
    """The original message as received (.eml)."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses={(200, "message/rfc822"): OpenApiResponse(OpenApiTypes.BINARY), 404: None})
    def get(self, request: Request, pk: int) -> FileResponse:
        email = inbound_email_get_visible(user=request.user, pk=pk)
        logger.info("inbound: original of mail %d downloaded by %s", email.pk, request.user.get_username())
        return _download(email.raw, filename=f"email-{email.pk}.eml", content_type="message/rfc822")


class InboundAttachmentView(APIView):
    """One attachment, always as a download of bytes (never rendered as the sender declared it)."""

    permission_classes = [IsStaffMember]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY), 404: None})
    def get(self, request: Request, pk: int) -> FileResponse:
        attachment = attachment_get_visible(user=request.user, pk=pk)
        name = attachment.name or f"anhang-{attachment.pk}"
        return _download(attachment.file, filename=name, content_type="application/octet-stream")
