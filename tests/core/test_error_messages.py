"""Error messages say what to do: a form that leaves Django's bare «This field is required»
gets one that names the field, and every inline message starts with a hidden «Error:»
for screen readers."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from tendik.core.forms import field_errors


class Plain(forms.Form):
    quantity = forms.IntegerField(label="Количество")
    delivery = forms.ChoiceField(label="Доставка", widget=forms.RadioSelect,
                                 choices=[("home", "на дом")])
    scan = forms.FileField(label="Скан заключения")
    comment = forms.CharField(label="Комментарий",
                              error_messages={"required": "Напишите, что не так."})


def test_bare_required_messages_name_the_field_and_what_to_do():
    with translation.override("ru"):
        form = Plain(data={})
        form.is_valid()
        assert field_errors(form["quantity"]) == ["Заполните поле «Количество»."]
        assert field_errors(form["delivery"]) == ["Выберите ответ в поле «Доставка»."]
        assert field_errors(form["scan"]) == ["Выберите файл для поля «Скан заключения»."]
        # A form's own message is kept as it is.
        assert field_errors(form["comment"]) == ["Напишите, что не так."]
    with translation.override("kk"):
        form = Plain(data={})
        form.is_valid()
        assert field_errors(form["quantity"]) == ["«Количество» өрісін толтырыңыз."]


def test_other_errors_are_left_alone():
    with translation.override("ru"):
        form = Plain(data={"quantity": "два"})
        form.is_valid()
        assert field_errors(form["quantity"]) == [str(form.errors["quantity"][0])]
        assert "Заполните" not in field_errors(form["quantity"])[0]


@pytest.mark.django_db
def test_the_sign_in_form_says_what_to_enter(client, reference):
    html = client.post("/ru/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert 'href="#id_username">Введите имя пользователя.</a>' in html
    assert 'href="#id_password">Введите пароль.</a>' in html
    assert '<span class="visually-hidden">Ошибка: </span>Введите имя пользователя.' in html
    assert "Обязательное поле." not in html


@pytest.mark.parametrize(("typed", "value"), [("2,5", "2.5"), ("2.5", "2.5"),
                                              ("15 000", "15000"), ("15\u00a0000,50", "15000.50"),
                                              (" 7 ", "7")])
def test_decimals_are_read_as_typed_in_kazakhstan(typed, value):
    from decimal import Decimal

    from tendik.core.forms import DecimalField

    assert DecimalField().clean(typed) == Decimal(value)


def test_a_decimal_that_is_not_one_is_still_refused():
    from tendik.core.forms import DecimalField

    with pytest.raises(forms.ValidationError):
        DecimalField().clean("2,5,1")
