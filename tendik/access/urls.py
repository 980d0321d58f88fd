from django.urls import path, re_path

from tendik.access import views

app_name = "access"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("list/", views.facility_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("plans/", views.plans_dashboard, name="plans"),
    path("plans/<str:code>/<int:year>/", views.plan_detail, name="plan"),
    path("facilities/<int:pk>/plan/", views.plan_from_needs, name="plan_from_needs"),
    path("import/", views.import_facilities, name="import"),
    re_path(r"^export/facilities\.(?P<fmt>geojson|csv|a11y\.json)$", views.export,
            name="export"),
    path("facilities/<int:pk>/review/", views.review_add, name="review"),
    path("facilities/<int:pk>/problem/", views.problem_add, name="problem"),
    path("photos/unmoderated/<path:name>", views.unmoderated_photo,
         name="unmoderated_photo"),
    path("facilities/<int:pk>/problems/<int:problem_id>/resolve/", views.problem_resolve,
         name="problem_resolve"),
    path("facilities/<int:pk>/passport/", views.passport_edit, name="passport"),
    path("facilities/<int:pk>/passport/<int:passport_id>/review/", views.passport_review,
         name="passport_review"),
]
