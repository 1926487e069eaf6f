"""The supervisors' URLs. Mounted by the staff site (backoffice/staff.py) at /staff/supervision/, names under ``staff:supervision:``."""

from django.urls import path

from . import views

urlpatterns = [
    path("holds/", views.holds, name="holds"),
    path("stuck/", views.stuck, name="stuck"),
    path("locks/", views.locks, name="locks"),
    path("locks/lift/", views.lift_lock, name="lift_lock"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/correct/", views.correct_identity, name="correct_identity"),
    path("people/<int:pk>/invite/", views.send_login_invitation, name="send_login_invitation"),
    # after the others: the application's index (Viewflow opens its first page) stays the requests on hold
    path("board/", views.board, name="board"),
    path("board/reassign/", views.reassign, name="reassign"),
    path("board/sensitive/", views.set_sensitive, name="set_sensitive"),
]
