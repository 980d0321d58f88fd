import pytest
pytestmark = pytest.mark.e2e

def test_smoke(page, personas, new_context):
    import time
    t=time.time()
    page.goto("/ru/")
    print(page.title(), page.locator("html").get_attribute("lang"))
    page.goto("/ru/accounts/login/")
    print(page.context.cookies())
    page.fill("#id_username", "p.akimat"); page.fill("#id_password", "x")
    page.click("main button[type=submit]")
    print(page.url, page.locator("#error-summary").count())
    ctx = new_context(personas["auditor"])
    p = ctx.new_page(); p.goto("/ru/office/audit/"); print(p.url, p.title())
    p.goto("/api/v1/docs"); print(p.url, p.title()); p.wait_for_timeout(1000); print(p.content()[:1500])
    print(time.time()-t)
