from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Katalog")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from catalogue.lookups import lookups_forget
        from catalogue.models import Municipality, Topic

        # the per-process memory of the submission's lookups forgets a row changed here (catalogue.lookups)
        for model in (Municipality, Topic):
            post_save.connect(lookups_forget, sender=model, dispatch_uid=f"lookups-save-{model.__name__}")
            post_delete.connect(lookups_forget, sender=model, dispatch_uid=f"lookups-delete-{model.__name__}")
