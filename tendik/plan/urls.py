from django.urls import path, re_path

from tendik.plan import views

app_name = "plan"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("measures/<int:number>/", views.measure_detail, name="measure"),
    re_path(r"^measures\.(?P<fmt>csv|json)$", views.open_data, name="open_data"),
]
