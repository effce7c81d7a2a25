package httpapi

import (
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/visite-health/visite/adapters/devbilling"
)

// apiPrefix is where the JSON API lives.
const apiPrefix = "/api/v1"

// routes registers the middleware chain and every route.
//
// Order matters: the request id comes first so everything after it can log
// with it; metrics and the access log wrap recovery so a panic is counted
// and logged with status 500; security headers are set before any handler
// writes.
func (s *server) routes(r *gin.Engine) {
	r.Use(s.requestID, s.observe, s.accessLog, s.recovery, s.securityHeaders, s.language)

	// Operations and assets: no session, no CSRF cookie.
	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	r.GET("/static/*filepath", s.static)
	// Stripe, server to server: the signature is the authentication.
	r.POST(webhookPath, s.stripeWebhook)
	if s.cfg.Media != nil {
		r.GET(mediaPath, s.cfg.Media.serveSignal) // the ticket is the authentication
	}
	if s.cfg.JobsUI != nil {
		ops := r.Group(JobsPath, s.crossOrigin, s.loadSession, s.requireJobsMonitor, s.jobsHeaders)
		ops.Any("/*path", gin.WrapH(s.cfg.JobsUI))
	}

	web := r.Group("/", s.crossOrigin, s.formCSRF, s.loadSession)
	web.GET("/", s.landingPage)
	web.GET("/lang", s.switchLanguage)
	web.GET("/terms", s.legalPage("terms"))
	web.GET("/privacy", s.legalPage("privacy"))
	web.GET("/cookies", s.legalPage("cookies"))
	web.GET("/imprint", s.legalPage("imprint"))
	web.GET("/pricing", s.pricingPage)
	web.GET("/sales/contact", s.salesContactPage)
	web.POST("/sales/contact", s.salesContactSubmit)
	web.GET("/sales/contact/sent", s.salesContactSentPage)

	web.GET("/signup", s.signupPage)
	web.POST("/signup", s.signupSubmit)
	web.GET("/signup/sent", s.signupSentPage)
	web.GET("/signup/confirm", s.confirmPage)
	web.POST("/signup/confirm", s.confirmSubmit)

	web.GET("/login", s.loginPage)
	web.POST("/login", s.loginSubmit)
	web.POST("/logout", s.logoutSubmit)
	web.GET("/password/forgot", s.forgotPage)
	web.POST("/password/forgot", s.forgotSubmit)
	web.GET("/password/forgot/sent", s.forgotSentPage)
	web.GET("/password/reset", s.resetPage)
	web.POST("/password/reset", s.resetSubmit)
	web.GET("/invitation", s.invitationPage)
	web.POST("/invitation", s.invitationSubmit)

	// Patients and guests: the practice's public pages, the patient's area
	// and the guest's consultation.
	pp := web.Group("/p/:slug")
	pp.GET("/login", s.patientLoginPage)
	pp.POST("/login", s.patientLoginSubmit)
	pp.POST("/login/tan", s.tanLoginSubmit)
	pp.POST("/password/forgot", s.patientForgotSubmit)
	pp.GET("/register", s.registerPage)
	pp.POST("/register", s.registerSubmit)
	pp.GET("/register/sent", s.registerSentPage)
	web.GET("/patient/confirm", s.patientConfirmPage)
	web.POST("/patient/confirm", s.patientConfirmSubmit)
	web.GET("/patient/deleted", s.patientDeletedPage)
	web.GET("/c/:id", s.guestConsultationPage)
	web.POST("/c/:id/check-in", s.requirePageLogin, s.checkInSubmit)
	web.GET("/call/:id", s.requirePageLogin, s.callPage)
	web.GET("/live", s.requireAPILogin, s.live)
	web.GET("/check", s.checkPage)

	my := web.Group("/patient", s.requirePageLogin, s.patientOnly, s.passwordFirst)
	my.GET("", s.portalPage)
	my.GET("/password", s.portalPasswordPage)
	my.POST("/password", s.portalPasswordSubmit)
	my.GET("/export", s.portalExport)
	my.GET("/delete", s.portalDeletePage)
	my.POST("/delete", s.portalDeleteSubmit)

	in := web.Group("/app", s.requirePageLogin, s.staffOnly)
	in.GET("", s.dashboardPage)
	in.GET("/staff", s.staffPage)
	in.POST("/staff/invite", s.inviteSubmit)
	in.POST("/staff/:id/role", s.roleSubmit)
	in.GET("/staff/:id/deactivate", s.deactivatePage)
	in.POST("/staff/:id/deactivate", s.deactivateSubmit)
	in.GET("/account/password", s.passwordPage)
	in.POST("/account/password", s.passwordSubmit)
	in.GET("/patients", s.patientsPage)
	in.GET("/patients/new", s.patientNewPage)
	in.POST("/patients/new", s.patientCreateSubmit)
	in.GET("/patients/:id", s.patientDetailPage)
	in.POST("/patients/:id/resend", s.patientResendSubmit)
	in.POST("/patients/:id/initial-password", s.patientInitialPasswordSubmit)
	in.POST("/patients/:id/deactivate", s.patientDeactivateSubmit)
	in.GET("/patients/:id/delete", s.patientDeleteConfirmPage)
	in.POST("/patients/:id/delete", s.patientDeleteSubmit)
	in.GET("/consultations", s.consultationsPage)
	in.GET("/consultations/day", s.consultationDayPage)
	in.GET("/consultations/week", s.consultationWeekPage)
	in.GET("/consultations/new", s.consultationNewPage)
	in.POST("/consultations/new", s.consultationCreateSubmit)
	in.GET("/consultations/:id", s.consultationDetailPage)
	in.POST("/consultations/:id/reschedule", s.consultationRescheduleSubmit)
	in.GET("/consultations/:id/cancel", s.consultationCancelPage)
	in.POST("/consultations/:id/cancel", s.consultationCancelSubmit)
	in.POST("/consultations/:id/no-show", s.consultationNoShowSubmit)
	in.POST("/consultations/:id/invitations/:inv/resend", s.invitationResendSubmit)
	in.GET("/waiting", s.waitingBoardPage)
	in.POST("/waiting/:id/admit", s.admitSubmit)
	in.POST("/waiting/:id/message", s.boardMessageSubmit)
	in.POST("/waiting/:id/decline", s.declineSubmit)
	in.POST("/waiting/:id/end", s.endSubmit)
	in.GET("/invitations/new", s.tanPage)
	in.POST("/invitations/new", s.tanSubmit)
	in.GET("/settings", s.settingsPage)
	in.POST("/settings", s.settingsSubmit)
	in.POST("/settings/practice", s.practiceDetailsSubmit)
	in.GET("/export", s.practiceExport)
	in.GET("/consultations.csv", s.consultationsCSV)
	in.GET("/patients.csv", s.patientsCSV)
	in.GET("/settings/qr.svg", s.settingsQR("svg"))
	in.GET("/settings/qr.png", s.settingsQR("png"))
	// The owner's subscription: plan, the provider's portal, invoices.
	in.GET("/billing", s.billingAccountPage)
	in.POST("/billing/portal", s.billingPortalSubmit)

	// Sign-up pays: Checkout, and the page that waits for its webhook.
	paying := web.Group("/billing", s.requirePageLogin, s.staffOnly)
	paying.GET("/checkout", s.checkoutPage)
	paying.POST("/checkout", s.checkoutSubmit)
	paying.GET("/welcome", s.welcomePage)
	if s.cfg.DevCheckout != nil {
		web.GET(devCheckoutRoute, s.devCheckoutPage)
		web.POST(devCheckoutRoute, s.devCheckoutSubmit)
		web.GET(devbilling.PortalPath, s.requirePageLogin, s.staffOnly, s.devPortalPage)
	}

	// The platform's overview of every practice; the use case asks the
	// Authorizer (a practice's staff get 403).
	admin := web.Group("/admin", s.requirePageLogin, s.staffOnly)
	admin.GET("/practices", s.adminPracticesPage)
	admin.GET("/prices", s.adminPricesPage)
	admin.GET("/prices/:type/:tier/:interval", s.adminPriceHistoryPage)
	admin.POST("/prices/:type/:tier/:interval", s.adminPriceSubmit)

	// The sales team's leads: platform accounts; the use cases ask the
	// Authorizer (a practice's staff get 403).
	leads := web.Group("/sales/leads", s.requirePageLogin, s.staffOnly)
	leads.GET("", s.leadsPage)
	leads.GET("/:id", s.leadDetailPage)
	leads.POST("/:id/state", s.leadStateSubmit)
	leads.POST("/:id/notes", s.leadNoteSubmit)

	// Individual offers: the sales team makes and withdraws them (the use
	// cases ask the Authorizer); whoever holds an offer's link reads it and,
	// for a lead, accepts it; a practice's offer takes its logged-in owner.
	offers := web.Group("/sales/offers", s.requirePageLogin, s.staffOnly)
	offers.GET("", s.offersPage)
	offers.GET("/new", s.offerNewPage)
	offers.POST("", s.offerCreateSubmit)
	offers.GET("/:id", s.offerDetailPage)
	offers.POST("/:id/withdraw", s.offerWithdrawSubmit)
	web.GET("/offers/:token", s.offerPage)
	web.POST("/offers/:token", s.offerAcceptSubmit)
	web.POST("/offers/:token/accept", s.requirePageLogin, s.staffOnly, s.offerPracticeAcceptSubmit)

	api := r.Group(apiPrefix, s.crossOrigin, s.jsonOnly, s.loadSession)
	api.GET("/openapi.json", s.openAPI)
	api.POST("/signup", s.apiSignup)
	api.POST("/signup/confirm", s.apiConfirm)
	api.POST("/auth/login", s.apiLogin)
	api.POST("/auth/logout", s.apiLogout)
	api.POST("/password/forgot", s.apiForgot)
	api.POST("/password/reset", s.apiReset)
	api.POST("/invitations/accept", s.apiAcceptInvitation)
	api.GET("/practices/:slug/registration", s.apiRegistration)
	api.POST("/practices/:slug/register", s.apiSelfRegister)
	api.POST("/practices/:slug/login", s.apiPatientLogin)
	api.POST("/practices/:slug/password/forgot", s.apiPatientForgot)
	api.POST("/patients/confirm", s.apiConfirmPatient)
	api.POST("/tan/login", s.apiTanLogin)
	api.GET("/pricing", s.apiPriceBook)
	api.GET("/pricing/quote", s.apiQuotePrice)
	api.POST("/sales/contact", s.apiSalesContact)
	api.GET("/offers/:token", s.apiGetOffer)
	api.POST("/offers/:token/accept", s.apiAcceptOffer)

	authed := api.Group("", s.requireAPILogin, s.apiPasswordFirst)
	authed.GET("/me", s.apiMe)
	authed.POST("/me/password", s.apiChangePassword)
	authed.GET("/staff", s.apiListStaff)
	authed.POST("/staff", s.apiInviteStaff)
	authed.PATCH("/staff/:id", s.apiChangeRole)
	authed.POST("/staff/:id/deactivate", s.apiDeactivate)
	authed.GET("/patients", s.apiListPatients)
	authed.POST("/patients", s.apiCreatePatient)
	authed.GET("/patients/:id", s.apiGetPatient)
	authed.DELETE("/patients/:id", s.apiDeletePatient)
	authed.POST("/patients/:id/resend-confirmation", s.apiResendConfirmation)
	authed.POST("/patients/:id/initial-password", s.apiInitialPassword)
	authed.POST("/patients/:id/deactivate", s.apiDeactivatePatient)
	authed.POST("/invitations", s.apiSendTanInvitation)
	authed.POST("/consultations", s.apiCreateConsultation)
	authed.GET("/consultations", s.apiListConsultations)
	authed.GET("/consultations/:id", s.apiGetConsultation)
	authed.POST("/consultations/:id/reschedule", s.apiRescheduleConsultation)
	authed.POST("/consultations/:id/cancel", s.apiCancelConsultation)
	authed.POST("/consultations/:id/no-show", s.apiMarkNoShow)
	authed.POST("/consultations/:id/check-in", s.apiCheckIn)
	authed.GET("/waiting-room", s.apiListWaitingRoom)
	authed.POST("/consultations/:id/admit", s.apiAdmitParticipant)
	authed.POST("/consultations/:id/decline", s.apiDeclineParticipant)
	authed.POST("/consultations/:id/message", s.apiMessageWaitingRoom)
	authed.POST("/consultations/:id/end", s.apiEndConsultation)
	authed.POST("/consultations/:id/call", s.apiJoinCall)
	authed.POST("/consultations/:id/remove", s.apiRemoveParticipant)
	authed.POST("/consultations/:id/invitations/:inv/resend", s.apiResendInvitation)
	authed.GET("/me/data", s.apiMyData)
	authed.GET("/me/export", s.apiExport)
	authed.DELETE("/me", s.apiDeleteMe)
	authed.GET("/settings", s.apiGetSettings)
	authed.PUT("/settings", s.apiUpdateSettings)
	authed.PUT("/practice", s.apiUpdatePracticeDetails)
	authed.GET("/practice/export", s.practiceExport)
	authed.PUT("/pricing/:type/:tier/:interval", s.apiUpdatePrice)
	authed.POST("/billing/checkout", s.apiStartCheckout)
	authed.GET("/sales/offers", s.apiListOffers)
	authed.POST("/sales/offers", s.apiCreateOffer)
	authed.POST("/sales/offers/:id/withdraw", s.apiWithdrawOffer)
	authed.POST("/billing/portal", s.apiOpenBillingPortal)
	authed.GET("/billing/invoices", s.apiListInvoices)
	authed.POST("/billing/seats", s.apiChangeSeats)

	r.NoRoute(s.notFound)
}

// isAPI reports whether the request is for the JSON API (Visite's or the
// job console's), so that errors are answered in JSON rather than as a page.
func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p == apiPrefix || strings.HasPrefix(p, apiPrefix+"/") || strings.HasPrefix(p, jobsAPIPath)
}
