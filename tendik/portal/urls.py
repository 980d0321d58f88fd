from django.urls import path

from tendik.portal import office_views, supplier_views, views

app_name = "portal"

urlpatterns = [
    # The recipient (or their representative).
    path("", views.home, name="home"),
    path("entitlements/<int:pk>/", views.offers, name="offers"),
    path("entitlements/<int:pk>/offers/<int:offer_id>/order/", views.order_new,
         name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/move/", views.order_move, name="order_move"),
    path("orders/<int:pk>/rate/", views.order_rate, name="order_rate"),
    path("orders/<int:pk>/complaint/", views.complaint_new, name="complaint_new"),
    path("card/<int:pk>/", views.card, name="card"),
    path("card/<int:pk>/orders/", views.card_orders, name="card_orders"),
    # Suppliers.
    path("supplier/", supplier_views.orders, name="supplier_orders"),
    path("supplier/claims/", supplier_views.claims, name="supplier_claims"),
    path("supplier/claims/<int:pk>/", supplier_views.claim, name="supplier_claim"),
    path("supplier/offers/", supplier_views.offers, name="supplier_offers"),
    path("supplier/offers/new/", supplier_views.offer_edit, name="supplier_offer_new"),
    path("supplier/offers/<int:pk>/", supplier_views.offer_edit, name="supplier_offer"),
    path("supplier/offers/<int:pk>/photos/", supplier_views.offer_photo,
         name="supplier_offer_photo"),
    path("complaints/<int:pk>/answer/", supplier_views.complaint_answer,
         name="complaint_answer"),
    # The akimat's back office.
    path("office/", office_views.orders, name="office_orders"),
    path("office/claims/", office_views.claims, name="office_claims"),
    path("office/recipients/", office_views.recipients, name="office_recipients"),
    path("office/claims/<int:pk>/", office_views.claim, name="claim"),
    path("office/complaints/", office_views.complaints, name="office_complaints"),
    path("complaints/<int:pk>/decide/", office_views.complaint_decide,
         name="complaint_decide"),
    path("provision/", office_views.provision, name="provision"),
]
