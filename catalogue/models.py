"""The catalogue: fields of action, the municipality directory, model projects, their measures and the
consortium partners. Loaded from ../shared/data and seeded; read by matching and statistics."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalogue.sizes import size_class_of
from core.text import fold


def split_urls(value: str) -> list[str]:
    """The URLs of a source field that holds one or several, separated by "; ".

    Only a semicolon followed by white space separates: a bare ";" belongs to the URL
    (".../auf-dem-weg-zur-smart-region;art2773,905898" in model_projects.csv).
    """
    return [url.strip() for url in re.split(r";\s+", value) if url.strip()]


class Topic(models.Model):
    """A field of action (Handlungsfeld). Keywords drive auto-tagging and the topic feature of matching."""

    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=120)
    name_en = models.CharField(_("Name (englisch)"), max_length=120)
    parent = models.ForeignKey(
        "self", verbose_name=_("Oberthema"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    keywords = models.JSONField(_("Schlagwörter"), default=list, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["name_de"]
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Municipality(models.Model):
    """A Gemeinde (8-digit AGS) or a Kreis (5-digit key) of the official directory."""

    class Level(models.TextChoices):
        GEMEINDE = "gemeinde", _("Gemeinde")
        KREIS = "kreis", _("Kreis")

    ags = models.CharField(_("Amtlicher Gemeindeschlüssel"), max_length=8, unique=True)
    ars = models.CharField(_("Regionalschlüssel"), max_length=12, blank=True)
    name = models.CharField(_("Amtlicher Name"), max_length=200)
    short_name = models.CharField(_("Name"), max_length=200)
    search_name = models.CharField(_("Suchname"), max_length=200, editable=False, db_index=True)
    level = models.CharField(_("Ebene"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("Art"), max_length=40)
    bundesland = models.CharField(_("Land (Kürzel)"), max_length=2, db_index=True)
    bundesland_name = models.CharField(_("Land"), max_length=60)
    district_ags = models.CharField(_("Kreisschlüssel"), max_length=5, blank=True)
    district_name = models.CharField(_("Kreis"), max_length=200, blank=True)
    association_name = models.CharField(_("Gemeindeverband"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("Einwohner"), null=True, blank=True)
    area_km2 = models.FloatField(_("Fläche (km²)"), null=True, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=5, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    urbanisation = models.CharField(_("Verstädterung"), max_length=40, blank=True)
    funded = models.BooleanField(_("Modellprojekt (gefördert)"), default=False, db_index=True)
    # Derived from level, kind and population (catalogue.sizes), stored so statistics group in the database.
    size_class = models.CharField(_("Größenklasse"), max_length=12, editable=False, db_index=True)

    class Meta:
        ordering = ["short_name", "ags"]
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        indexes = [
            # Municipality search by key prefix (LIKE 'xx%') on PostgreSQL needs the pattern_ops variant;
            # api.views.catalogue.MunicipalityViewSet uses it.
            models.Index(fields=["ags"], name="crm_muni_ags_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["search_name"], name="crm_muni_search_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.ags})"

    def save(self, *args, **kwargs) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Set the derived columns; bulk loaders call it because bulk_create skips save()."""
        self.search_name = fold(self.short_name)
        self.size_class = size_class_of(level=self.level, kind=self.kind, population=self.population)


class ModelProject(models.Model):
    """One of the 73 Modellprojekte Smart Cities."""

    class Kind(models.TextChoices):
        CITY = "city", _("Stadt")
        DISTRICT = "district", _("Landkreis")
        MUNICIPALITY = "municipality", _("Gemeinde")
        COOPERATION = "cooperation", _("Interkommunale Kooperation")
        MUNICIPAL_ASSOCIATION = "municipal_association", _("Gemeindeverband")
        REGIONAL_ASSOCIATION = "regional_association", _("Regionalverband")

    class Phase(models.TextChoices):
        UNKNOWN = "", _("unbekannt")
        STRATEGY = "strategy", _("Strategiephase")
        IMPLEMENTATION = "implementation", _("Umsetzungsphase")
        COMPLETED = "completed", _("abgeschlossen")

    slug = models.SlugField(_("Kennung"), max_length=80, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    cohort = models.PositiveSmallIntegerField(_("Staffel"), db_index=True)
    category = models.CharField(_("Wettbewerbskategorie"), max_length=40, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    lead_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("federführende Kommune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("Mitgliedskommunen"), blank=True, related_name="model_projects"
    )
    bundeslaender = models.CharField(_("Land (Kürzel)"), max_length=20, blank=True)
    population = models.PositiveIntegerField(_("Einwohner"), null=True, blank=True)
    lat = models.FloatField(_("Breite"), null=True, blank=True)
    lon = models.FloatField(_("Länge"), null=True, blank=True)
    phase = models.CharField(_("Phase"), max_length=20, choices=Phase.choices, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Handlungsfelder"), blank=True, related_name="model_projects")
    source_topics = models.CharField(_("Themen laut Quelle"), max_length=400, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    # One or more URLs separated by "; ", as model_projects.csv gives them (``source_urls`` splits them).
    description_source = models.TextField(_("Quellen der Beschreibung"), blank=True)
    topics_source = models.CharField(_("Quelle der Themen"), max_length=400, blank=True)
    capacity = models.PositiveSmallIntegerField(_("Kapazität (offene Vermittlungen)"), default=5)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_is_demo = models.BooleanField(_("Demo-Kontakt"), default=False)
    website = models.URLField(_("Webseite"), max_length=400, blank=True)
    source_url = models.URLField(_("Quelle"), max_length=400, blank=True)
    note = models.TextField(_("Anmerkung"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Modellprojekt")
        verbose_name_plural = _("Modellprojekte")

    def __str__(self) -> str:
        return self.name

    @property
    def description_sources(self) -> list[str]:
        return split_urls(self.description_source)


class Measure(models.Model):
    """What a model project has built and can pass on."""

    class Status(models.TextChoices):
        UNKNOWN = "", _("unbekannt")
        PLANNED = "planned", _("geplant")
        IMPLEMENTING = "implementing", _("in Umsetzung")
        OPERATIONAL = "operational", _("in Betrieb")

    model_project = models.ForeignKey(
        ModelProject, verbose_name=_("Modellprojekt"), on_delete=models.CASCADE, related_name="measures"
    )
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("Handlungsfelder"), blank=True, related_name="measures")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, blank=True)
    transferability_note = models.TextField(_("Hinweis zur Übertragbarkeit"), blank=True)
    open_source_url = models.URLField(_("Open-Source-Code"), max_length=400, blank=True)
    # One or more URLs separated by "; " (model_project_measures.csv ``source_url``); ``source_urls`` splits them.
    source_url = models.TextField(_("Quelle(n)"), blank=True)
    # The field word of the source ("Beteiligung", "Mobilität"), mapped to ``topics`` by catalogue.taxonomy.
    source_topic = models.CharField(_("Thema laut Quelle"), max_length=200, blank=True)

    class Meta:
        ordering = ["model_project__name", "title"]
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        constraints = [
            models.UniqueConstraint(fields=["model_project", "title"], name="crm_measure_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_urls(self) -> list[str]:
        return split_urls(self.source_url)


class ConsortiumPartner(models.Model):
    """An institution of the KTS consortium that handles cases."""

    name = models.CharField(_("Name"), max_length=200)
    short_name = models.CharField(_("Kurzname"), max_length=40, unique=True)
    expertise = models.ManyToManyField(Topic, verbose_name=_("Fachgebiete"), blank=True, related_name="partners")
    regions = models.JSONField(_("Regionen (Länderkürzel, leer = bundesweit)"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("Kapazität (offene Fälle)"), default=20)
    active = models.BooleanField(_("aktiv"), default=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    is_demo = models.BooleanField(_("Demo-Eintrag"), default=False)
    # Ties in routing go to the partner that waited longest (matching.routing).
    last_assigned_at = models.DateTimeField(_("zuletzt zugewiesen"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Konsortialpartner")
        verbose_name_plural = _("Konsortialpartner")

    def __str__(self) -> str:
        return self.short_name


class PartnerMembership(models.Model):
    """A staff user belongs to one consortium partner."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("Benutzer"), on_delete=models.CASCADE, related_name="membership"
    )
    partner = models.ForeignKey(
        ConsortiumPartner, verbose_name=_("Partner"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = _("Partnerzugehörigkeit")
        verbose_name_plural = _("Partnerzugehörigkeiten")

    def __str__(self) -> str:
        return f"{self.user} – {self.partner}"
