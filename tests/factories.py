"""Factories for the data tests make for themselves."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tendik.core.models import Organisation, Region, Role, User

PASSWORD = "correct-horse-battery-staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("kato",)

    kato = factory.Sequence(lambda n: f"{900000000 + n * 1000:09d}")
    kind = Region.Kind.OBLAST
    name_ru = factory.Sequence(lambda n: f"Тестовая область {n}")
    name_kk = factory.Sequence(lambda n: f"Сынақ облысы {n}")
    name_en = factory.Sequence(lambda n: f"Test Region {n}")
    centre_ru = "Центр"
    centre_kk = "Орталық"
    centre_en = "Centre"
    latitude = "48.00000"
    longitude = "67.00000"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ORG-{n}")
    kind = Organisation.Kind.MINISTRY
    name_ru = factory.Sequence(lambda n: f"Министерство {n}")
    name_kk = factory.Sequence(lambda n: f"Министрлік {n}")
    name_en = factory.Sequence(lambda n: f"Ministry {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    first_name = "Айгуль"
    last_name = factory.Sequence(lambda n: f"Тестова{n}")
    role = Role.REGISTERED
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def with_totp(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        self.save()
        if create and self.is_staff_role and extracted is not False:
            TOTPDevice.objects.create(user=self, name="test", confirmed=True)
