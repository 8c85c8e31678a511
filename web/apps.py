from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "web"
    verbose_name = _("Webseiten")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from catalogue.models import ConsortiumPartner, PartnerMembership, Topic
        from web.filter_choices import filter_choices_forget, filter_choices_forget_user

        # the per-process memory of the case list's filter choices forgets what changed here (web.filter_choices)
        user = get_user_model()
        for model in (Topic, ConsortiumPartner, PartnerMembership, user):
            saved = filter_choices_forget_user if model is user else filter_choices_forget
            post_save.connect(saved, sender=model, dispatch_uid=f"choices-save-{model.__name__}")
            post_delete.connect(filter_choices_forget, sender=model, dispatch_uid=f"choices-delete-{model.__name__}")
        m2m_changed.connect(filter_choices_forget, sender=user.groups.through, dispatch_uid="choices-groups")
