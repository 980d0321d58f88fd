from django.urls import path

from tendik.care import views

app_name = "care"

urlpatterns = [
    path("", views.providers, name="providers"),
    path("providers/<int:pk>/", views.provider, name="provider"),
    path("placements/", views.placements, name="placements"),
    path("placements/add/", views.placement_add, name="placement_add"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("rates/", views.rates, name="rates"),
    path("billing/", views.billing, name="billing"),
    path("providers/<int:pk>/bills/<int:year>/<int:month>/", views.bill, name="bill"),
    path("spending/", views.spending, name="spending"),
    path("providers/<int:pk>/spending/", views.spending_add, name="spending_add"),
]
