from django.urls import path

from tendik.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/move/", views.case_move, name="move"),
    path("<int:pk>/assessment/", views.case_assess, name="assess"),
    path("<int:pk>/goals/", views.goal_new, name="goal_new"),
    path("<int:pk>/goals/<int:goal_id>/state/", views.goal_state, name="goal_state"),
    path("<int:pk>/goals/<int:goal_id>/services/", views.service_new, name="service_new"),
    path("<int:pk>/services/<int:service_id>/refer/", views.service_refer, name="refer"),
    path("<int:pk>/notes/", views.case_note, name="note"),
    path("<int:pk>/consents/<int:person_id>/", views.consent_record, name="consent"),
    path("<int:pk>/social-worker/", views.worker_propose, name="propose_worker"),
    path("referrals/", views.referrals, name="referrals"),
    path("caseload/", views.caseload, name="caseload"),
    path("offers/", views.my_offers, name="my_offers"),
    path("tasks/", views.tasks, name="tasks"),
    path("rules/", views.rule_list, name="rules"),
    path("needs/", views.needs, name="needs"),
]
