from django import forms


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
    )
    name = forms.CharField(
        label="Your name (optional)",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class PreferencesForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200, required=False)
