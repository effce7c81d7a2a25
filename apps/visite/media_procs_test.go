package main

import "testing"

func TestMediaNodeProcs(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"a media node gets one P", []string{"media"}, nil, 1},
		{"GOMAXPROCS in the environment wins", []string{"media"}, map[string]string{"GOMAXPROCS": "4"}, 0},
		{"serve keeps the default", []string{"serve"}, nil, 0},
		{"the benchmark keeps the default", []string{"bench", "media"}, nil, 0},
		{"no command", nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mediaNodeProcs(tc.args, func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("mediaNodeProcs(%q) = %d, want %d", tc.args, got, tc.want)
			}
		})
	}
}
