package main

import (
	"context"
	"fmt"
	"time"
)

func cmdAdmin(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] != "create-user" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(e.Stdout, "Usage: visite admin create-user --role platform-admin|sales --email ADDRESS")
			return nil
		}
		fmt.Fprintln(e.Stderr, "Usage: visite admin create-user --role platform-admin|sales --email ADDRESS")
		return errUsage
	}
	fs := flags(e, "admin create-user", "admin create-user --role platform-admin|sales --email ADDRESS\n\nCreates a platform account and prints (and emails) the link to set its password.")
	role := fs.String("role", "", "platform-admin or sales")
	email := fs.String("email", "", "the person's email address")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *role == "" || *email == "" {
		fs.Usage()
		return errUsage
	}
	p, err := openPlatform(ctx, e, false)
	if err != nil {
		return err
	}
	defer p.Close()
	link, err := p.app.BootstrapPlatformUser(ctx, *role, *email)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.Stdout, "created %s account %s\nset the password within 7 days: %s\n", *role, *email, link)
	return nil
}

func cmdDemo(ctx context.Context, e *Env, args []string) error {
	fs := flags(e, "demo", "demo [--password PASSWORD]\n\nCreates the demo practice (owner, practitioner, assistant, a patient) or resets its passwords, plans a consultation of the practitioner with the patient unless one is still to come, and prints the logins.")
	password := fs.String("password", "Visite-Demo-2026", "password of the three demo logins")
	if err := parse(fs, args); err != nil {
		return err
	}
	p, err := openPlatform(ctx, e, false)
	if err != nil {
		return err
	}
	defer p.Close()
	demo, err := p.app.SeedDemo(ctx, *password)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.Stdout, "Demo practice: %s (%s)\n", demo.Practice.Name(), demo.Practice.Slug())
	for _, l := range demo.Logins {
		fmt.Fprintf(e.Stdout, "  %-13s %-28s %-30s password %s\n", l.Role, l.Name, l.Email, l.Password)
	}
	fmt.Fprintf(e.Stdout, "Log in at %s/login\n", p.cfg.BaseURL)
	fmt.Fprintf(e.Stdout, "Demo patient: username %s, password %s, at %s%s\n",
		demo.Patient.Username, demo.Patient.Password, p.cfg.BaseURL, demo.Patient.LoginPath)
	c, err := p.app.PlanDemoConsultation(ctx)
	if err != nil {
		return describe(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return fmt.Errorf("load Europe/Berlin: %w", err)
	}
	fmt.Fprintf(e.Stdout, "Demo consultation: %s, %s–%s German time, %s with the demo patient;\n"+
		"  the practitioner holds it at %s/app/waiting, the patient joins from the portal\n",
		c.Start().In(berlin).Format("Mon 2 Jan 2006"), c.Start().In(berlin).Format("15:04"), c.End().In(berlin).Format("15:04"),
		demo.Logins[1].Name, p.cfg.BaseURL)
	return nil
}
