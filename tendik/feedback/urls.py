from django.urls import path

from tendik.feedback import views

app_name = "feedback"

urlpatterns = [
    path("accessibility-statement/", views.statement, name="statement"),
    path("accessibility-statement/sent/", views.sent, name="sent"),
    path("office/accessibility-reports/", views.queue, name="queue"),
    path("office/accessibility-reports/<int:pk>/", views.report, name="report"),
]
