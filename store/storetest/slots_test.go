package storetest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Slot agrees with Redis: CLUSTER KEYSLOT's documented answers and the
// hash tag rules of the cluster specification.
func TestSlotIsRedisKeySlot(t *testing.T) {
	for key, want := range map[string]int{
		"123456789":     12739, // CRC16 check value 0x31C3
		"somekey":       11058,
		"foo{hash_tag}": 2515,
		"bar{hash_tag}": 2515,
		"foo":           12182,
		"hello":         866,
		"foo{}{bar}":    Slot("foo{}{bar}"), // an empty tag: the whole key
	} {
		if got := Slot(key); got != want {
			t.Errorf("Slot(%q) = %d, want %d", key, got, want)
		}
	}
	if Slot("foo{}{bar}") == Slot("bar") {
		t.Error("an empty tag {} was taken as a tag")
	}
	if Slot("foo{{bar}}zap") != Slot("{bar") {
		t.Error(`the tag of foo{{bar}}zap is "{bar"`)
	}
	// A key without a tag and a key tagged with that whole key share a slot.
	if Slot("saathi:rec:k:1") != Slot("saathi:reclog:{saathi:rec:k:1}") {
		t.Error("a record and its log are in different slots")
	}
}

func evalsha(keys ...string) redis.Cmder {
	args := []any{"evalsha", "0123456789abcdef", len(keys)}
	for _, k := range keys {
		args = append(args, k)
	}
	return redis.NewCmd(context.Background(), append(args, "arg")...)
}

// SlotCheck refuses a script over two slots, as a cluster would, and
// takes one within a slot, other commands, and the exempt legacy keys.
func TestSlotCheckRefusesCrossSlotScripts(t *testing.T) {
	var c SlotCheck
	var cross *CrossSlotError
	if err := c.Check(evalsha("saathi:conv:{o07}:telegram:1", "saathi:rec:pending_person")); !errors.As(err, &cross) {
		t.Errorf("a script over two slots: %v, want a CrossSlotError", err)
	}
	if err := c.Check(redis.NewCmd(context.Background(), "eval", "return 1", 2, "a", "b")); err == nil {
		t.Error("EVAL over two slots passed")
	}
	for _, ok := range []redis.Cmder{
		evalsha("saathi:conv:{o07}:telegram:1", "saathi:seen:{o07}:telegram:1", "saathi:outbox:{o07}", "saathi:outbox:{o07}:due"),
		evalsha("saathi:conv:{o07}:telegram:1", "saathi:outbox:{o07}", "saathi:conv:telegram:1", "saathi:seen:telegram:1", "saathi:outbox"),
		evalsha("one-key"),
		redis.NewCmd(context.Background(), "mget", "a", "b"),
	} {
		if err := c.Check(ok); err != nil {
			t.Errorf("%v: %v", ok.Args(), err)
		}
	}
}

// Every package that has Lua scripts is tested against a client of
// Redis (this package's), so the SlotCheck it carries sees its scripts:
// a script that spans hash slots fails that package's tests.
func TestEveryPackageWithScriptsIsSlotChecked(t *testing.T) {
	root := filepath.Join("..", "..")
	scripts, checked := map[string]bool{}, map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		switch {
		case strings.HasSuffix(path, "_test.go"):
			if strings.Contains(string(src), "storetest.Redis(") {
				checked[dir] = true
			}
		case strings.Contains(string(src), "redis.NewScript("):
			scripts[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) < 5 {
		t.Fatalf("found Lua scripts in %d packages only: %v", len(scripts), scripts)
	}
	for dir := range scripts {
		if !checked[dir] {
			t.Errorf("%s has Lua scripts but no test on storetest.Redis: its scripts are not checked for hash slots", dir)
		}
	}
}
