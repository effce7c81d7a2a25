package casbinauthz

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/visite-health/visite/core/access"
)

// roleTable is docs/roles.md's table: which role may do which action.
type roleTable struct {
	roles   []access.Role
	actions []access.Action
	allowed map[access.Action]map[access.Role]bool
}

// rolesDoc is the role table the tests derive their cases from.
const rolesDoc = "../../docs/roles.md"

// parseRoleTable reads the first markdown table whose header starts with
// "action": columns are roles, rows actions, cells ✓ or —.
func parseRoleTable(t *testing.T, path string) roleTable {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open role table: %v", err)
	}
	defer f.Close()
	var tbl roleTable
	inTable := false
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(text, "|") {
			if inTable {
				break
			}
			continue
		}
		cells := splitRow(text)
		switch {
		case !inTable && len(cells) > 1 && cells[0] == "action":
			inTable = true
			for _, c := range cells[1:] {
				tbl.roles = append(tbl.roles, access.Role(c))
			}
			tbl.allowed = map[access.Action]map[access.Role]bool{}
		case !inTable || strings.Trim(text, "|- :") == "":
			// a table before ours, or the separator row
		default:
			if len(cells) != len(tbl.roles)+1 {
				t.Fatalf("%s:%d: %d cells, want %d", path, line, len(cells), len(tbl.roles)+1)
			}
			action := access.Action(cells[0])
			if _, dup := tbl.allowed[action]; dup {
				t.Fatalf("%s:%d: action %s listed twice", path, line, action)
			}
			tbl.actions = append(tbl.actions, action)
			tbl.allowed[action] = map[access.Role]bool{}
			for i, c := range cells[1:] {
				switch c {
				case "✓":
					tbl.allowed[action][tbl.roles[i]] = true
				case "—":
				default:
					t.Fatalf("%s:%d: cell %q is neither ✓ nor —", path, line, c)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read role table: %v", err)
	}
	if len(tbl.actions) == 0 {
		t.Fatalf("%s: no role table (a markdown table whose first header cell is \"action\")", path)
	}
	return tbl
}

// splitRow returns the trimmed cells of "| a | `b` |", without backticks.
func splitRow(row string) []string {
	parts := strings.Split(strings.Trim(row, "|"), "|")
	cells := make([]string, len(parts))
	for i, p := range parts {
		cells[i] = strings.Trim(strings.TrimSpace(p), "`")
	}
	return cells
}

// pRules returns the p-rules the table stands for, as "role, dom, obj, act".
func (tbl roleTable) pRules(t *testing.T) map[string]bool {
	t.Helper()
	rules := map[string]bool{}
	for _, action := range tbl.actions {
		for _, role := range tbl.roles {
			if !tbl.allowed[action][role] {
				continue
			}
			dom, ok := DomainPattern(role)
			if !ok {
				t.Fatalf("role table names unknown role %q", role)
			}
			rules[strings.Join([]string{string(role), dom, action.Object(), action.Verb()}, ", ")] = true
		}
	}
	return rules
}

func TestRoleTableListsEveryRoleAndAction(t *testing.T) {
	tbl := parseRoleTable(t, rolesDoc)
	if got, want := join(tbl.roles), join(access.AllRoles); got != want {
		t.Errorf("role columns = %s, want access.AllRoles %s", got, want)
	}
	if got, want := join(tbl.actions), join(access.Actions); got != want {
		t.Errorf("action rows = %s, want access.Actions %s", got, want)
	}
}

func join[S ~string](xs []S) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ",")
}
