from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("account/tokens/", views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
    path("account/settings/", views.account_settings, name="account_settings"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.read_all, name="mark_all_read"),
    path("inbox/<int:notification_id>/", views.open_notification, name="notification"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:key>.csv", views.statistics_csv, name="statistics_csv"),
    path("statistics/report/<int:year>/", views.yearly_report, name="yearly_report"),
]
