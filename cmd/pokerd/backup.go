package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/pokerd/pokerd/store/sqlite"
)

// backupCommand is the subcommand that copies the live database: pokerd backup FILE.
const backupCommand = "backup"

// runBackup copies the database that --data (or PP_DATA) names to FILE while a server
// may be using it: a consistent copy, as of one moment, that pokerd can start on. It
// never overwrites FILE.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("pokerd backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: pokerd backup [--data FILE] BACKUP_FILE\n\nCopies the live database to BACKUP_FILE, which must not exist yet.")
		fset.PrintDefaults()
	}
	data := fset.String("data", defaultDataFile, "the database to copy, as the server's --data (env PP_DATA)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if !isFlagGiven(fset, "data") {
		if v := getenv("PP_DATA"); v != "" {
			*data = v
		}
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return fmt.Errorf("backup takes one argument, the file to write")
	}
	dst := fset.Arg(0)
	switch {
	case *data == "":
		return errors.New("backup: --data is empty: a server without a database has nothing to back up")
	case dst == *data:
		return fmt.Errorf("backup: the copy must be another file than --data %s", *data)
	}
	if _, err := os.Stat(*data); err != nil {
		// Checked here so that a mistyped name is never made into an empty database.
		return fmt.Errorf("backup: --data %s: %w", *data, err)
	}
	if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
		if err == nil {
			return fmt.Errorf("backup: %s exists already: pokerd never overwrites a backup; name a new file", dst)
		}
		return fmt.Errorf("backup: %w", err)
	}
	if err := sqlite.BackupFile(ctx, *data, dst); err != nil {
		return fmt.Errorf("backup of --data %s to %s: %w", *data, dst, err)
	}
	fmt.Fprintf(stdout, "pokerd: %s backed up to %s\n", *data, dst)
	return nil
}

func isFlagGiven(fset *flag.FlagSet, name string) bool {
	given := false
	fset.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
