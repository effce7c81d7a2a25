package app

// SetExportPages makes ExportPractice read patients and consultations in
// pages of the given sizes, for tests of its paging; it returns the undo.
func SetExportPages(patients, consultations int) (undo func()) {
	p, c := exportPatientPage, consultationPage
	exportPatientPage, consultationPage = patients, consultations
	return func() { exportPatientPage, consultationPage = p, c }
}
