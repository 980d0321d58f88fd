"""A case in Almaty: its manager and their supervisor (of a provider), a teacher of a
school on the case's interagency team, the person, and another case manager."""

import pytest
from django.contrib.auth.models import Group, Permission

from tendik.cases import services
from tendik.cases.models import Team, TeamMember
from tendik.core.models import Organisation, Role, User
from tests.factories import UserFactory
from tests.portal.conftest import (
    make_person,
    market,  # noqa: F401
)


@pytest.fixture
def office(market):  # noqa: F811
    provider = Organisation.objects.create(
        code="PROV", kind=Organisation.Kind.SERVICE_PROVIDER, name_ru="Центр",
        name_kk="Орталық", name_en="Centre", region=market.almaty)
    school = Organisation.objects.create(
        code="SCHOOL-12", kind=Organisation.Kind.NGO, name_ru="Школа № 12",
        name_kk="№ 12 мектеп", name_en="School 12", region=market.almaty)
    manager = UserFactory(role=Role.CASE_MANAGER, organisation=provider, username="cm")
    supervisor = UserFactory(role=Role.CASE_MANAGER, organisation=provider, username="sup")
    group, _ = Group.objects.get_or_create(name="Supervisors")
    group.permissions.add(Permission.objects.get(codename="supervise_case"))
    supervisor.groups.add(group)
    teacher = UserFactory(role=Role.SOCIAL_WORKER, organisation=school, username="teacher")
    team = Team.objects.create(name="МВК Алмалинского района", region=market.almaty)
    TeamMember.objects.create(team=team, user=teacher, sector="education")
    person = make_person(market.almaty)
    case = services.open_case(by=manager, manager=manager, summary="Мать одна с ребёнком",
                              person=person, team=team)
    return {"manager": manager, "supervisor": User.objects.get(pk=supervisor.pk),
            "teacher": teacher, "school": school, "person": person, "case": case,
            "other": UserFactory(role=Role.CASE_MANAGER, organisation=provider,
                                 username="other.cm")}
