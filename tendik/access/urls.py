from django.urls import path

from tendik.access import views

app_name = "access"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("list/", views.facility_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("facilities/<int:pk>/passport/", views.passport_edit, name="passport"),
    path("facilities/<int:pk>/passport/<int:passport_id>/review/", views.passport_review,
         name="passport_review"),
]
