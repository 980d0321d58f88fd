import pytest
from django.conf import settings

from tendik.core.identity import NationalIdentityBackend, VerifiedIdentity
from tendik.core.models import Role


def test_no_national_identity_backend_is_enabled_until_connected():
    assert not any("identity" in b or "egov" in b.lower()
                   for b in settings.AUTHENTICATION_BACKENDS)
    with pytest.raises(NotImplementedError, match="not connected"):
        NationalIdentityBackend().authenticate(None, national_identity_assertion=b"<xml/>")


class VerifiedBy(NationalIdentityBackend):
    """Stands for a connected provider: it returns what the provider would have verified."""

    def __init__(self, identity: VerifiedIdentity) -> None:
        self.identity = identity

    def verify_assertion(self, request, assertion):
        return self.identity


@pytest.mark.django_db
def test_a_verified_iin_signs_in_its_recipient_and_never_a_staff_account(make_user):
    recipient = make_user(Role.RECIPIENT, username="870412300415")
    make_user(Role.AGENCY_EXECUTOR, "МЗ", username="900101300012")
    found = VerifiedBy(VerifiedIdentity("870412300415", "Сапаров", "Ерлан"))
    assert found.authenticate(None, national_identity_assertion="signed") == recipient
    staff = VerifiedBy(VerifiedIdentity("900101300012", "Ким", "Ольга"))
    assert staff.authenticate(None, national_identity_assertion="signed") is None
    assert found.authenticate(None) is None
