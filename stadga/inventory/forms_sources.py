"""The form of the inventory's web upload (issue 6 item 4)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stadga.organisation.models import Municipality

from .choices import InventoryFormat
from .models import InventorySource
from .services import OnError


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_format_display()})"


class InventoryUploadForm(forms.Form):
    """An inventory file, its format, the source it comes from (an existing one, or a new name;
    by default the format's name) and what to do with rows that cannot be read."""

    file = forms.FileField(
        label=gettext_lazy("Inventory file"),
        help_text=gettext_lazy(
            "The export from endpoint management, of any size. It is imported in the "
            "background; you can follow the progress."
        ),
        error_messages={
            "required": gettext_lazy("Choose the inventory file to upload."),
            "empty": gettext_lazy("The file is empty."),
        },
        widget=forms.FileInput(
            attrs={"accept": ".csv,.json,.jsonl,.txt,text/csv,application/json"}
        ),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("File format"),
        choices=InventoryFormat.choices,
        initial=InventoryFormat.CSV,
    )
    source = SourceChoiceField(
        label=gettext_lazy("Source"),
        queryset=InventorySource.objects.none(),
        required=False,
        empty_label=gettext_lazy("A new source"),
        help_text=gettext_lazy(
            "The file replaces this source's current snapshot once every row is in."
        ),
    )
    new_source = forms.CharField(
        label=gettext_lazy("Name of a new source"),
        required=False,
        max_length=InventorySource._meta.get_field("name").max_length,
        help_text=gettext_lazy("For example GLPI or Intune. Left empty: the format's name."),
    )
    skip_broken_rows = forms.BooleanField(
        label=gettext_lazy("Skip broken rows"),
        required=False,
        help_text=gettext_lazy(
            "Rows that cannot be read are skipped and listed with their line numbers. "
            "Otherwise a file with any such row is refused and nothing is imported."
        ),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = InventorySource.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality, archived_at__isnull=True
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        source: InventorySource | None = data.get("source")
        new_name = (data.get("new_source") or "").strip()
        fmt = data.get("format")
        if source is not None and new_name:
            self.add_error(
                "new_source", _("Choose an existing source or type a new name, not both.")
            )
        elif source is not None and fmt and source.format != fmt:
            self.add_error(
                "format",
                _("The source %(source)s takes files of the format %(format)s.")
                % {"source": source.name, "format": source.get_format_display()},
            )
        if source is not None:
            data["source_name"] = source.name
        else:
            data["source_name"] = new_name or fmt or ""
        return data

    @property
    def on_error(self) -> OnError:
        return "skip" if self.cleaned_data.get("skip_broken_rows") else "refuse"
