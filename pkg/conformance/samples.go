package conformance

import (
	"bytes"
	_ "embed"
	"encoding/binary"
	"sort"
	"unicode/utf16"
)

// sampleGIF is a 1×1 transparent GIF: an image every browser decodes.
var sampleGIF = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// sampleWebM is a 16×16 VP8 video of a few frames (547 bytes), recorded by
// Chromium 156's MediaRecorder from a canvas (canvas.captureStream(10),
// mimeType video/webm;codecs=vp8); each browser decodes it. A video, not
// sound in a <video>: Chromium's mixed content line names what the media
// player found ("video", "audio file").
//
//go:embed testdata/sample.webm
var sampleWebM []byte

// sampleWAV is a tenth of a second of silence, 8 kHz mono 8-bit PCM: a
// resource every browser's media stack decodes (Chromium's FFmpeg, Firefox,
// GStreamer's wavparse in WebKitGTK).
func sampleWAV() []byte {
	const rate, samples = 8000, 800
	var b bytes.Buffer
	w := func(vs ...any) {
		for _, v := range vs {
			_ = binary.Write(&b, binary.LittleEndian, v)
		}
	}
	b.WriteString("RIFF")
	w(uint32(36 + samples))
	b.WriteString("WAVEfmt ")
	w(uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate), uint16(1), uint16(8))
	b.WriteString("data")
	w(uint32(samples))
	b.Write(bytes.Repeat([]byte{0x80}, samples))
	return b.Bytes()
}

// sampleFont builds the smallest TrueType font the browsers' sanitizers
// (OTS in Chromium and Firefox, FreeType in WebKitGTK) accept: one square
// glyph, mapped from "A". A font that fails to decode would fail the load
// after CORS let it through, which the suite would read as blocked.
func sampleFont() []byte {
	const upem, numGlyphs = 1000, 2
	be := func(vs ...any) []byte {
		var b bytes.Buffer
		for _, v := range vs {
			_ = binary.Write(&b, binary.BigEndian, v)
		}
		return b.Bytes()
	}
	// Glyph 0 (.notdef) and 1 ("A"): the same square, one contour of four
	// on-curve points with 16-bit deltas.
	square := be(int16(1), int16(100), int16(0), int16(600), int16(700), // contours, bbox
		uint16(3), uint16(0), // endPtsOfContours, no instructions
		[]byte{1, 1, 1, 1},                            // flags: on curve
		int16(100), int16(500), int16(0), int16(-500), // x deltas
		int16(0), int16(0), int16(700), int16(0), // y deltas
		uint16(0)) // pad to an even length (short loca)
	glyf := append(append([]byte{}, square...), square...)
	n := uint16(len(square) / 2)
	loca := be(uint16(0), n, 2*n)
	head := be(uint32(0x00010000), uint32(0x00010000), uint32(0), uint32(0x5F0F3CF5),
		uint16(0x000B), uint16(upem), int64(0), int64(0), // flags, unitsPerEm, created, modified
		int16(100), int16(0), int16(600), int16(700), // bbox
		uint16(0), uint16(8), int16(2), int16(0), int16(0)) // macStyle, lowestRecPPEM, direction, short loca, glyf 0
	hhea := be(uint32(0x00010000), int16(800), int16(-200), int16(0), uint16(700),
		int16(100), int16(100), int16(600), int16(1), int16(0), int16(0),
		int16(0), int16(0), int16(0), int16(0), int16(0), uint16(numGlyphs))
	maxp := be(uint32(0x00010000), uint16(numGlyphs), uint16(4), uint16(1), uint16(0), uint16(0),
		uint16(1), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0), uint16(0))
	hmtx := be(uint16(700), int16(100), uint16(700), int16(100))
	os2 := be(uint16(1), int16(700), uint16(400), uint16(5), uint16(0), // version, avgWidth, weight, width, fsType
		int16(650), int16(600), int16(0), int16(75), int16(650), int16(600), int16(0), int16(350), // sub/superscript
		int16(50), int16(250), int16(0), // strikeout, family class
		make([]byte, 10), make([]byte, 16), []byte("NONE"), // panose, unicode ranges, vendor
		uint16(0x40), uint16('A'), uint16('A'), // fsSelection regular, first/last char
		int16(800), int16(-200), int16(0), uint16(800), uint16(200), // typo and win metrics
		uint32(1), uint32(0)) // code page ranges
	// cmap: one format 4 subtable (Windows, Unicode BMP): "A" → glyph 1.
	sub := be(uint16(4), uint16(32), uint16(0), uint16(4), uint16(4), uint16(1), uint16(0), // header, segCountX2 4
		uint16('A'), uint16(0xFFFF), uint16(0), uint16('A'), uint16(0xFFFF), // ends, pad, starts
		int16(1-'A'), int16(1), uint16(0), uint16(0)) // deltas, range offsets
	cmap := append(be(uint16(0), uint16(1), uint16(3), uint16(1), uint32(12)), sub...)
	var names, strs []byte
	for i, v := range []string{"Copyright none", "corsdiag", "Regular", "corsdiag", "corsdiag", "1.0", "corsdiag"} {
		u := utf16.Encode([]rune(v))
		names = append(names, be(uint16(3), uint16(1), uint16(0x409), uint16(i), uint16(2*len(u)), uint16(len(strs)))...)
		strs = append(strs, be(u)...)
	}
	name := append(be(uint16(0), uint16(7), uint16(6+len(names))), append(names, strs...)...)
	post := be(uint32(0x00030000), uint32(0), int16(-100), int16(50), uint32(0), uint32(0), uint32(0), uint32(0), uint32(0))

	tables := map[string][]byte{"OS/2": os2, "cmap": cmap, "glyf": glyf, "head": head, "hhea": hhea,
		"hmtx": hmtx, "loca": loca, "maxp": maxp, "name": name, "post": post}
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	nt := uint16(len(tags))
	out := be(uint32(0x00010000), nt, uint16(128), uint16(3), uint16(16*nt-128))
	off := len(out) + 16*len(tags)
	var body []byte
	for _, t := range tags {
		data := tables[t]
		out = append(out, t...)
		out = append(out, be(checksum(data), uint32(off+len(body)), uint32(len(data)))...)
		body = append(body, data...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	return append(out, body...)
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
