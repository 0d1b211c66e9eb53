"""factory_boy factories for the integration and browser tests."""

from __future__ import annotations

import factory
from allauth.mfa.models import Authenticator

from matchmaking.accounts.models import User
from matchmaking.mobility.models import Opportunity
from matchmaking.organisations.models import Membership, Organisation, Role
from matchmaking.taxonomies.models import LANGUAGES_SCHEME, Term

PASSWORD = "correct-horse-battery-staple"


def term(scheme: str, code: str) -> Term:
    return Term.objects.get(scheme=scheme, code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    key = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = factory.LazyFunction(lambda: term("organisation-kinds", "municipality"))
    country = "SE"
    city = "Borås"
    hosting_capacity = 3

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.languages.set(
                Term.objects.filter(scheme=LANGUAGES_SCHEME, code__in=extracted or ["en", "sv"])
            )

    @factory.post_generation
    def expertise(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.expertise.set(Term.objects.filter(scheme="practice-topics", code__in=extracted))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.STAFF


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    key = factory.Sequence(lambda n: f"opp-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    type = factory.LazyFunction(lambda: term("opportunity-types", "job-shadowing"))
    direction = "offer"
    duration_days = 3
    group_size = 2


def member(role: str = Role.STAFF, organisation: Organisation | None = None, **user_fields) -> User:
    """A user with one membership, and a TOTP device if the role needs one."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory(), role=role)
    if role in (Role.COORDINATOR, Role.ORG_ADMIN, Role.CASE_WORKER):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
    return user
