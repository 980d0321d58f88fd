from django.urls import path, re_path

from tendik.plan import consolidation_views, interchange_views, reporting_views, views

app_name = "plan"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("measures/<int:number>/", views.measure_detail, name="measure"),
    path("measures/<int:number>/edit/", views.measure_edit, name="measure_edit"),
    path("reports/", reporting_views.report_list, name="reports"),
    path("reports/open/", reporting_views.open_cycle, name="open_cycle"),
    path("reports/<int:pk>/", reporting_views.report_detail, name="report"),
    path("reports/<int:pk>/attachments/", reporting_views.report_attach, name="report_attach"),
    path("reports/<int:pk>/attachments/<int:attachment_id>/",
         reporting_views.attachment_download, name="attachment"),
    path("reports/<int:pk>/review/", reporting_views.report_review, name="report_review"),
    path("reports/<int:year>/dashboard/", reporting_views.dashboard, name="dashboard"),
    path("reports/<int:year>/consolidated/", consolidation_views.overview,
         name="consolidation"),
    path("reports/<int:year>/consolidated/files/", consolidation_views.files,
         name="consolidation_files"),
    path("reports/<int:year>/consolidated/generate/", consolidation_views.generate,
         name="consolidation_generate"),
    path("reports/<int:year>/consolidated/files/<int:pk>/", consolidation_views.download,
         name="consolidation_download"),
    path("reports/<int:year>/consolidated/measures/<int:number>/",
         consolidation_views.assess, name="assess"),
    path("import/", interchange_views.import_plan, name="import"),
    re_path(r"^export/(?P<code>[-\w]+)\.(?P<fmt>xlsx|csv)$", interchange_views.export_plan,
            name="export"),
    re_path(r"^measures\.(?P<fmt>csv|json)$", views.open_data, name="open_data"),
]
