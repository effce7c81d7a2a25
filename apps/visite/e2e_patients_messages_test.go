package main

// The messages the patient end-to-end tests expect, copied from the
// catalogues so that a changed or lost translation fails a test.

// catalogue holds messages of the catalogues (adapters/httpapi/i18n) in German and
// English, by key.
var catalogue = map[string]fieldMessages{
	"auth.patient_wrong_credentials": {"Benutzername oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal.",
		"The username or password is wrong. Please try again."},
	"patient.not_confirmed": {"Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse. Öffnen Sie dazu den Link in der E-Mail, die wir Ihnen geschickt haben.",
		"Please confirm your email address first. Open the link in the email we sent you."},
	"patient.initial_password_expired": {"Ihr vorläufiges Passwort ist abgelaufen. Bitte fragen Sie Ihre Praxis nach einem neuen.",
		"Your temporary password has expired. Please ask your practice for a new one."},
	"password.change_required": {"Bitte legen Sie zuerst Ihr eigenes Passwort fest. Erst danach ist alles andere möglich.",
		"Please set your own password first. Everything else is possible after that."},
	"token.expired": {"Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen Link an.", "This link has expired. Please ask for a new link."},
	"token.used": {"Dieser Link wurde schon verwendet. Bitte melden Sie sich an oder fordern Sie einen neuen Link an.",
		"This link has already been used. Please log in or ask for a new link."},
	"forbidden": {"Dafür fehlt Ihnen die Berechtigung. Bitte wenden Sie sich an die Inhaberin oder den Inhaber Ihrer Praxis.",
		"You are not allowed to do this. Please ask the owner of your practice."},
	"registration.closed": {"Diese Seite gibt es nicht. Die Praxis bietet hier keine Registrierung an. Bitte fragen Sie Ihre Praxis.",
		"This page does not exist. The practice does not offer registration here. Please ask your practice."},
	"consent.outdated": {"Die Praxis hat ihre Einwilligungserklärung gerade geändert. Bitte lesen Sie den neuen Text und setzen Sie das Häkchen noch einmal.",
		"The practice has just changed its consent text. Please read the new text and tick the box again."},
	"consent_text.length": {"Bitte geben Sie einen Einwilligungstext mit 20 bis 5000 Zeichen ein.", "Please enter a consent text of 20 to 5000 characters."},
	"consent.required": {"Bitte willigen Sie ein, damit die Praxis Ihre Daten für Videosprechstunden verarbeiten darf.",
		"Please give your consent so that the practice may process your data for video consultations."},
	"name.length":       {"Bitte geben Sie den Vor- und Nachnamen ein (2 bis 100 Zeichen).", "Please enter the first and last name (2 to 100 characters)."},
	"username.required": {"Bitte geben Sie einen Benutzernamen ein.", "Please enter a username."},
	"username.invalid": {"Der Benutzername darf nur Kleinbuchstaben, Ziffern, Punkt, Binde- und Unterstrich enthalten (3 bis 40 Zeichen).",
		"The username may contain only lower-case letters, digits, dots, hyphens and underscores (3 to 40 characters)."},
	"username.taken": {"Diesen Benutzernamen gibt es in dieser Praxis schon. Bitte wählen Sie einen anderen.",
		"This username is already taken at this practice. Please choose another one."},
	"email.required":     {"Bitte geben Sie Ihre E-Mail-Adresse ein.", "Please enter your email address."},
	"email.invalid":      emptySignupErrorsEmailInvalid,
	"password.too_short": {"Das Passwort ist zu kurz. Bitte nehmen Sie mindestens 10 Zeichen.", "The password is too short. Please use at least 10 characters."},
	"password.common": {"Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes, zum Beispiel einen Satz aus mehreren Wörtern.",
		"This password is too easy to guess. Please choose another, for example a sentence of several words."},
	"password.personal": {"Das Passwort darf nicht Ihr Name, der Name der Praxis oder Ihre E-Mail-Adresse sein.",
		"The password must not be your name, the practice's name or your email address."},
	"language.invalid":          {"Bitte wählen Sie Deutsch oder Englisch.", "Please choose German or English."},
	"current_password.wrong":    {"Das aktuelle Passwort stimmt nicht.", "The current password is wrong."},
	"practitioner.invalid":      {"Bitte wählen Sie eine Behandelnde oder einen Behandelnden Ihrer Praxis.", "Please choose a practitioner of your practice."},
	"practitioner.required":     {"Bitte wählen Sie, wer das Gespräch führt.", "Please choose who holds the consultation."},
	"start.required":            {"Bitte geben Sie Datum und Uhrzeit des Termins ein.", "Please enter the date and time of the appointment."},
	"patient.already_confirmed": {"Dieses Konto ist schon bestätigt. Sie können sich anmelden.", "This account is already confirmed. You can log in."},
	"tan.used": {"Dieser Code wurde schon benutzt. Bitte fragen Sie Ihre Praxis nach einer neuen Einladung.",
		"This code has already been used. Please ask your practice for a new invitation."},
	"tan.locked": {"Der Code wurde zu oft falsch eingegeben und ist jetzt gesperrt. Bitte fragen Sie Ihre Praxis nach einer neuen Einladung.",
		"The code was entered wrongly too often and is now blocked. Please ask your practice for a new invitation."},
	"tan.wrong": {"Der Code stimmt nicht. Bitte prüfen Sie ihn und versuchen Sie es noch einmal.", "The code is not right. Please check it and try again."},
	"tan.too_early": {"Es ist noch zu früh. Sie können sich kurz vor Ihrem Termin anmelden. Bitte versuchen Sie es dann noch einmal.",
		"It is too early. You can log in shortly before your appointment. Please try again then."},
	"tan.expired": {"Der Termin ist vorbei, der Code gilt nicht mehr. Bitte fragen Sie Ihre Praxis nach einer neuen Einladung.",
		"The appointment is over and the code no longer works. Please ask your practice for a new invitation."},
	"tan.unknown_link": {"Dieser Einladungslink ist ungültig. Bitte öffnen Sie den Link genau so, wie er in der E-Mail steht.",
		"This invitation link is not valid. Please open the link exactly as it is in the email."},
}

// emptySignupErrorsEmailInvalid is "email.invalid", as the sign-up tests word it.
var emptySignupErrorsEmailInvalid = fieldMessages{"Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@praxis.de.",
	"Please enter a valid email address, for example name@practice.com."}

// say returns the message of key in language l ("de" or "en").
func say(l, key string) string {
	m, ok := catalogue[key]
	if !ok {
		panic("no message " + key + " in the test's table")
	}
	if l == "en" {
		return m.en
	}
	return m.de
}
