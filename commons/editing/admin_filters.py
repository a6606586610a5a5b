"""Filters of the admin listings of methods, tools and territories: association, question, status."""

from django import forms
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import WorkflowState

import django_filters

from commons.models import Association, Question


def in_review():
    """Whether a page has a moderation workflow in progress (as an SQL expression)."""
    return Exists(
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS, object_id=Cast(OuterRef("pk"), CharField())
        )
    )


class FicheStatus:
    DRAFT = "brouillon"
    IN_REVIEW = "en-relecture"
    LIVE = "publiee"
    CHOICES = [(DRAFT, _("Brouillon")), (IN_REVIEW, _("En relecture")), (LIVE, _("Publiée"))]


class FicheFilterSet(PageFilterSet):
    association = django_filters.ModelMultipleChoiceFilter(
        label=_("Association"),
        field_name="associations",
        queryset=Association.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    question = django_filters.ModelMultipleChoiceFilter(
        label=_("Question"),
        field_name="questions",
        queryset=Question.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=FicheStatus.CHOICES, method="filter_status", widget=forms.RadioSelect
    )

    def filter_status(self, queryset, name, value):
        queryset = queryset.annotate(in_review=in_review())
        if value == FicheStatus.IN_REVIEW:
            return queryset.filter(in_review=True)
        if value == FicheStatus.DRAFT:
            return queryset.filter(live=False, in_review=False)
        if value == FicheStatus.LIVE:
            return queryset.filter(live=True)
        return queryset

    class Meta(PageFilterSet.Meta):
        fields = []
