"""Forms with a photo that do not lose it: when such a form fails for another reason, the
photo, checked and stripped of its metadata, is kept (tendik.core.uploads.keep_pending)
and the page says so; sent again, the form uses it unless another file is chosen.

A form takes the mixin, a FileField named `photo`, and `user_id` as a keyword; its view:

    form = ReviewForm(request.POST or None, request.FILES or None, user_id=user.pk)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_photo()      # the new file, or the one kept; None: no photo
        ... the service ... ; on success: form.forget_kept_photo()
    if request.method == "POST":
        form.keep_photo()                 # the form failed: keep what was chosen

and its template includes core/includes/kept_photo.html before the photo's field.

The photo is checked, decoded and encoded again in the form's clean_photo(), before any
transaction starts: a service given the cleaned photo (tendik.core.uploads.CleanImage)
only writes it, so no database lock is held while a large picture is decoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.core.exceptions import ValidationError

from tendik.core import uploads


@dataclass(frozen=True)
class ChosenPhoto:
    handle: IO[bytes]
    size: int


class KeepsPhoto(forms.Form):
    KEPT_FIELD = "kept_photo"
    DROP_FIELD = "kept_photo_drop"
    photo_max_size = 10 * 2**20
    photo_longest_side = 2560
    # Whether a kept photo may be dropped (the photo is optional in the form).
    photo_optional = False

    def __init__(self, *args: Any, user_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id
        self.kept: uploads.Pending | None = None
        if self.is_bound:
            token = str(self.data.get(self.add_prefix(self.KEPT_FIELD), ""))
            if self.photo_optional and self.data.get(self.add_prefix(self.DROP_FIELD)):
                uploads.drop_pending(token, user_id=user_id)
            else:
                self.kept = uploads.pending(token, user_id=user_id)
        if self.kept is not None:
            self.fields["photo"].required = False

    @property
    def kept_name(self) -> str:
        return self.add_prefix(self.KEPT_FIELD)

    @property
    def drop_name(self) -> str:
        return self.add_prefix(self.DROP_FIELD)

    def has_photo(self) -> bool:
        """A photo comes with the form: a new file, or one kept from the last try."""
        return bool(self.files.get(self.add_prefix("photo"))) or self.kept is not None

    def clean_photo(self) -> Any:
        """The upload decoded and encoded again, or the form's error (too many pixels,
        not an image, too large) on the photo's field."""
        upload = self.cleaned_data.get("photo")
        if not upload:
            return upload
        return uploads.reencode_image(upload, upload.size or 0, max_size=self.photo_max_size,
                                      longest_side=self.photo_longest_side)

    def chosen_photo(self) -> ChosenPhoto | None:
        upload = self.cleaned_data.get("photo")
        if upload:
            return ChosenPhoto(upload, upload.size)
        if self.kept is not None:
            return ChosenPhoto(self.kept.content(), self.kept.size)
        return None

    def keep_photo(self) -> None:
        """The form failed: keep a newly chosen photo (if it is one) for the next try."""
        upload = self.files.get(self.add_prefix("photo"))
        if not upload or self.has_error("photo"):
            return
        content = getattr(self, "cleaned_data", {}).get("photo")
        if not isinstance(content, uploads.CleanImage):
            try:
                content = uploads.reencode_image(upload, upload.size or 0,
                                                 max_size=self.photo_max_size,
                                                 longest_side=self.photo_longest_side)
            except ValidationError as invalid:
                self.add_error("photo", invalid)
                return
        if self.kept is not None:
            uploads.drop_pending(self.kept.token, user_id=self.user_id)
        self.kept = uploads.keep_pending(content, user_id=self.user_id, label=upload.name or "")

    def forget_kept_photo(self) -> None:
        if self.kept is not None:
            uploads.drop_pending(self.kept.token, user_id=self.user_id)
            self.kept = None
