from django.urls import path

from tendik.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("regions/", views.region_choice, name="region_choice"),
    path("regions/<str:kato>/", views.region_page, name="region"),
    path("reports/<int:pk>/", views.report_figures, name="report_figures"),
    path("<slug:code>/", views.indicator_detail, name="indicator"),
    path("<slug:code>/data.csv", views.indicator_csv, name="csv"),
    path("<slug:code>/import/", views.import_observations, name="import"),
    path("<slug:code>/status/", views.override_status, name="override"),
]
