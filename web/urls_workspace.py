"""The staff workspace under /intern/ (SPEC section 9): landing with queues, case list, case page and the forms
of a case, reply templates, notifications. Every form posts to a route of its own and goes through the same
service as the API."""

from django.urls import path

from web.views import (
    workspace_case,
    workspace_home,
    workspace_inbox,
    workspace_list,
    workspace_mail,
    workspace_message,
    workspace_radar,
)

urlpatterns = [
    path("intern/", workspace_home.home, name="staff-home"),
    path("intern/faelle/", workspace_list.case_list, name="case-list"),
    path("intern/faelle/<int:pk>/", workspace_case.case_page, name="case-detail"),
    path("intern/faelle/<int:pk>/schritte/<str:name>/", workspace_case.case_transition, name="case-transition"),
    path("intern/faelle/<int:pk>/notizen/", workspace_case.case_note, name="case-note"),
    path("intern/faelle/<int:pk>/nachricht/", workspace_message.case_message, name="case-message"),
    path("intern/faelle/<int:pk>/wiedervorlagen/", workspace_case.case_followup_create, name="case-followup-create"),
    path(
        "intern/faelle/<int:pk>/wiedervorlagen/<int:fid>/erledigt/",
        workspace_case.case_followup_done,
        name="case-followup-done",
    ),
    path("intern/faelle/<int:pk>/textbaustein/", workspace_inbox.template_render, name="case-template-render"),
    path("intern/textbausteine/", workspace_inbox.template_list, name="template-list"),
    path("intern/textbausteine/neu/", workspace_inbox.template_edit, name="template-create"),
    path("intern/textbausteine/<int:tid>/", workspace_inbox.template_edit, name="template-edit"),
    path("intern/benachrichtigungen/", workspace_inbox.notification_list, name="notification-list"),
    # inbound e-mail: the coordinators' Posteingang of stray mail, and the original of any mail
    path("intern/posteingang/", workspace_mail.mail_inbox, name="mail-inbox"),
    path("intern/posteingang/<int:pk>/", workspace_mail.mail_triage, name="mail-triage"),
    path("intern/posteingang/<int:pk>/anfrage/", workspace_mail.mail_to_enquiry, name="mail-to-enquiry"),
    path("intern/posteingang/<int:pk>/zuordnen/", workspace_mail.mail_file, name="mail-file"),
    path("intern/posteingang/<int:pk>/verwerfen/", workspace_mail.mail_dismiss, name="mail-dismiss"),
    path("intern/emails/<int:pk>/", workspace_mail.mail_detail, name="mail-detail"),
    # the demand radar (issue 15): groups of similar enquiries, for coordinators and managers
    path("intern/radar/", workspace_radar.radar, name="radar"),
]
