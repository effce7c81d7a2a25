package app

// SetExportPages makes ExportPractice read patients and consultations in
// pages of the given sizes, for tests of its paging; it returns the undo.
func SetExportPages(patients, consultations int) (undo func()) {
	p, c := exportPatientPage, exportConsultationPage
	exportPatientPage, exportConsultationPage = patients, consultations
	return func() { exportPatientPage, exportConsultationPage = p, c }
}
