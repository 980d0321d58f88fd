from django.urls import path

from tendik.workforce import views

app_name = "workforce"

urlpatterns = [
    # Public.
    path("", views.search, name="search"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.profile, name="profile"),
    # The recipient (or their representative).
    path("<int:pk>/choose/", views.choose, name="choose"),
    path("mine/", views.mine, name="mine"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/visits/", views.visit_add, name="visit_add"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("assignments/<int:pk>/rate/", views.rate, name="rate"),
    path("visits/<int:pk>/confirm/", views.visit_confirm, name="visit_confirm"),
    # The worker.
    path("caseload/", views.caseload, name="caseload"),
    # Staff.
    path("register/", views.worker_add, name="worker_add"),
    path("<int:pk>/certificates/", views.certificate_add, name="certificate_add"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("volunteers/links/<int:pk>/end/", views.link_end, name="link_end"),
    path("volunteers/links/<int:pk>/hours/", views.volunteer_hours, name="volunteer_hours"),
    path("assistants/", views.assistants, name="assistants"),
    path("assistants/<int:pk>/", views.assistant_detail, name="assistant"),
    path("assistants/<int:pk>/hours/", views.assistant_hours, name="assistant_hours"),
    path("assistant-hours/<int:pk>/confirm/", views.assistant_hours_confirm,
         name="assistant_hours_confirm"),
]
