from tests.plan.conftest import small_plan  # noqa: F401
from tests.portal.conftest import market  # noqa: F401
