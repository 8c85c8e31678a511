"""Factories for every model, in one place (factory_boy)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cases import models as cases_models
from catalogue import models as catalogue_models


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue_models.Topic
        skip_postgeneration_save = True
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_de = factory.LazyAttribute(lambda o: f"Thema {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Topic {o.slug}")
    keywords = factory.LazyFunction(list)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue_models.Municipality
        skip_postgeneration_save = True
        django_get_or_create = ("ags",)

    ags = factory.Sequence(lambda n: f"09{n:06d}")
    ars = factory.LazyAttribute(lambda o: o.ags + "0000")
    name = factory.Sequence(lambda n: f"Musterstadt {n}, Stadt")
    short_name = factory.LazyAttribute(lambda o: o.name.split(",")[0])
    level = "gemeinde"
    kind = "stadt"
    bundesland = "BY"
    bundesland_name = "Bayern"
    district_ags = factory.LazyAttribute(lambda o: o.ags[:5])
    population = 12_000
    lat = 49.9
    lon = 10.9


class ModelProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue_models.ModelProject
        skip_postgeneration_save = True
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"mpsc-test-{n}")
    name = factory.Sequence(lambda n: f"Modellprojekt {n}")
    cohort = 2020
    kind = "city"
    lead_municipality = factory.SubFactory(MunicipalityFactory, funded=True)
    bundeslaender = factory.LazyAttribute(lambda o: o.lead_municipality.bundesland if o.lead_municipality else "")
    population = factory.LazyAttribute(lambda o: o.lead_municipality.population if o.lead_municipality else None)
    lat = factory.LazyAttribute(lambda o: o.lead_municipality.lat if o.lead_municipality else None)
    lon = factory.LazyAttribute(lambda o: o.lead_municipality.lon if o.lead_municipality else None)
    contact_name = "Erika Beispiel"
    contact_email = factory.Sequence(lambda n: f"projekt{n}@example.org")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted:
            self.municipalities.add(*extracted)
        elif self.lead_municipality:
            self.municipalities.add(self.lead_municipality)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue_models.Measure
        skip_postgeneration_save = True

    model_project = factory.SubFactory(ModelProjectFactory)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    description = ""
    status = catalogue_models.Measure.Status.OPERATIONAL

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalogue_models.ConsortiumPartner
        skip_postgeneration_save = True
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Partnerinstitut {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    email = factory.Sequence(lambda n: f"partner{n}@example.org")
    capacity = 20
    active = True

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.add(*extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("geheim-123")
    is_staff = False

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=extracted)
            self.groups.add(group)

    @factory.post_generation
    def partner(self, create, extracted, **kwargs):
        if create and extracted:
            catalogue_models.PartnerMembership.objects.update_or_create(user=self, defaults={"partner": extracted})


class EnquiryFactory(factory.django.DjangoModelFactory):
    """An enquiry in state new. Move it on through cases.services, never by assigning state."""

    class Meta:
        model = cases_models.Enquiry
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"KTS-2026-{900000 + n:06d}")
    municipality = factory.SubFactory(MunicipalityFactory)
    contact_name = "Max Mustermann"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@gemeinde.example")
    subject = "Wie habt ihr das gemacht?"
    message = "Wir möchten von einem Modellprojekt lernen."
    support_type = cases_models.SupportType.INFORMATION
    channel = cases_models.Channel.WEB
    consent_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)
