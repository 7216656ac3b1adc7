"""Routes of the portal as the municipality keeps it: residents' views and questions (P7.1);
see urls.py."""

from django.urls import path

from . import views_messages as views

urlpatterns = [
    path("messages/", views.MessageListView.as_view(), name="message_list"),
    path("messages/<int:pk>/", views.MessageView.as_view(), name="message_detail"),
    path("messages/<int:pk>/answer/", views.MessageAnswerView.as_view(), name="message_answer"),
    path("messages/<int:pk>/forward/", views.MessageForwardView.as_view(), name="message_forward"),
    path("messages/<int:pk>/close/", views.MessageCloseView.as_view(), name="message_close"),
    path("messages/<int:pk>/publish/", views.MessagePublishView.as_view(), name="message_publish"),
    path("messages/<int:pk>/history/", views.MessageHistoryView.as_view(), name="message_history"),
]
