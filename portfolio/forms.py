from __future__ import annotations

from django import forms

from portfolio.models import PlanReview


class PlanReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 5})}
