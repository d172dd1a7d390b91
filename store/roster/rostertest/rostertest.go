// Package rostertest builds hostile roster files for tests: zip bombs and
// workbooks whose headers lie.
package rostertest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// MaxChatFile is the chat's limit on a roster file (services.MaxRosterFile).
const MaxChatFile = 5 << 20

// bombRow is one sheet row of 128 bytes; a chunk of them is 1 MB, so that
// rows, chunks and deflate's 32 KB window line up.
func bombRow() []byte {
	r := `<row><c t="inlineStr"><is><t>सरिता राजभर</t></is></c><c><v>9018159083</v></c><c><v>1</v></c></row>`
	return []byte(r + strings.Repeat(" ", 128-len(r)))
}

const (
	bombHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row><c t="inlineStr"><is><t>name</t></is></c><c t="inlineStr"><is><t>phone</t></is></c><c t="inlineStr"><is><t>role</t></is></c></row>`
	bombTail = `</sheetData></worksheet>`
)

// Sheet deflates a sheet of chunks MB of rows (under a name, phone, role
// header) without compressing
// them all: once deflate's window holds a chunk, each further chunk
// packs, after a sync flush, to the same bytes, so one packed chunk is
// repeated. It returns the packed sheet, its unpacked size and CRC-32.
func Sheet(t testing.TB, chunks int) (packed []byte, size int64, crc uint32) {
	t.Helper()
	row := bombRow()
	chunk := bytes.Repeat(row, (1<<20)/len(row))
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	var marks []int
	for _, part := range [][]byte{[]byte(bombHead), chunk, chunk, chunk} {
		if _, err := fw.Write(part); err != nil {
			t.Fatal(err)
		}
		if err := fw.Flush(); err != nil {
			t.Fatal(err)
		}
		marks = append(marks, buf.Len())
	}
	out := buf.Bytes()
	first, again, check := out[:marks[1]], out[marks[1]:marks[2]], out[marks[2]:marks[3]]
	if !bytes.Equal(again, check) {
		t.Fatalf("a repeated chunk packs differently (%d and %d bytes): the bomb cannot be built this way", len(again), len(check))
	}
	tailStart := buf.Len()
	if _, err := fw.Write([]byte(bombTail)); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	tail := buf.Bytes()[tailStart:]

	packed = append(packed, first...)
	for range chunks - 1 {
		packed = append(packed, again...)
	}
	packed = append(packed, tail...)
	crc = crc32.Update(0, crc32.IEEETable, []byte(bombHead))
	for range chunks {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(bombTail))
	size = int64(len(bombHead)) + int64(chunks)*int64(len(chunk)) + int64(len(bombTail))
	return packed, size, crc
}

// Workbook builds an .xlsx around a packed sheet, whose header claims
// claimed bytes unpacked.
func Workbook(t testing.TB, sheet []byte, claimed int64, crc uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(sheet)), UncompressedSize64: uint64(claimed)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(sheet); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ZipBomb is a workbook under the chat's 5 MB that unpacks to about 900 MB.
func ZipBomb(t testing.TB) ([]byte, int64) {
	t.Helper()
	sheet, size, crc := Sheet(t, 900)
	data := Workbook(t, sheet, size, crc)
	if len(data) >= MaxChatFile {
		t.Fatalf("the bomb is %d bytes, not under the chat's limit", len(data))
	}
	return data, size
}
