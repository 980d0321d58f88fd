from tests.portal.conftest import market  # noqa: F401
