from django.urls import path

from tendik.portal import views

app_name = "portal"

urlpatterns: list = []
