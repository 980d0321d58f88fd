from tests.plan.conftest import small_plan  # noqa: F401
