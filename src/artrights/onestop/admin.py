from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import Note, ServiceRequest, Signup, TrainingEvent, Workstation

# Workstations and their staff are set up here by the platform's administrator; requests and notes move only
# through the services (deadlines, notifications, audit): read-only here.


@admin.register(Workstation)
class WorkstationAdmin(admin.ModelAdmin[Workstation]):
    list_display = ["name", "organisation", "sector", "is_active"]
    filter_horizontal = ["staff"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdmin[ServiceRequest]):
    list_display = ["pk", "type", "workstation", "requester", "status", "deadline", "rating"]
    list_filter = ["status", "type", "workstation"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin[Note]):
    list_display = ["request", "author", "created_at", "for_requester"]


@admin.register(TrainingEvent)
class TrainingEventAdmin(ReadOnlyAdmin[TrainingEvent]):
    list_display = ["topic", "workstation", "starts_at", "capacity"]


@admin.register(Signup)
class SignupAdmin(ReadOnlyAdmin[Signup]):
    list_display = ["event", "person", "signed_up_at", "cancelled_at", "attended"]
