package flows

// Input is one normalised inbound message, whatever channel it came from.
// Channel adapters build it; the engine reads it.
type Input struct {
	Channel string `json:"channel"` // "telegram", "whatsapp", "console"
	User    string `json:"user"`    // the chat's id on that channel
	ID      string `json:"id"`      // the platform's message id, used for de-duplication

	Text     string    `json:"text,omitempty"`     // typed text (or a caption)
	Choice   string    `json:"choice,omitempty"`   // Option.Data of a pressed button
	Contact  *Contact  `json:"contact,omitempty"`  // a shared contact card
	Location *Location `json:"location,omitempty"` // a shared location
	Media    string    `json:"media,omitempty"`    // voice, photo, sticker, video, document: media sent instead of text
	File     *File     `json:"file,omitempty"`     // a document sent (Media "document"), or on WhatsApp a photo ("photo"): ID is the channel's file id
	Name     string    `json:"name,omitempty"`     // the sender's display name on the platform
	// Lang is a language to start a new conversation in (a user's own choice
	// always wins). Channels leave it empty: Hindi is the default.
	Lang string `json:"lang,omitempty"`
	// Event, when set, is not something the user wrote but something that
	// happened for them (an invitation, a reminder, a prompt to approve):
	// its flow starts on top of whatever they were doing.
	Event *Event `json:"event,omitempty"`
}

// Event starts Flow with Vars as its fields (a local flow's own fields).
type Event struct {
	Flow string            `json:"flow"`
	Vars map[string]string `json:"vars,omitempty"`
}

// Contact is a shared contact card.
type Contact struct {
	Phone string `json:"phone"`
	// Own is true when the card is the sender's own (on Telegram: its user id equals the sender's).
	Own bool `json:"own"`
}

// Location is a shared location.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Reply is one outgoing message, already rendered in the user's language.
// Channels render Options as buttons where they have them and as numbered
// lines ("1) आऊँगा") where they do not.
type Reply struct {
	Text    string   `json:"text"`
	Options []Option `json:"options,omitempty"`
	// Request asks the channel for a special keyboard: RequestContact or RequestLocation.
	Request string `json:"request,omitempty"`
	// RequestLabel is the text of the button that shares the contact or location.
	RequestLabel string `json:"request_label,omitempty"`
	// File, when set, is sent as a document with Text as its caption.
	File *File `json:"file,omitempty"`
	// Tag, when set, names what the reply belongs to (a broadcast), so that
	// its delivery can be counted.
	Tag string `json:"tag,omitempty"`
	// Bulk marks a reply to an event (an invitation, a broadcast copy, a
	// reminder): the dispatcher sets it, and delivery serves such replies
	// after those to people who just wrote.
	Bulk bool `json:"bulk,omitempty"`
}

// File is a document: one a user sent (ID, the channel's file id, with
// Name and Size), or one to send (Name and Data, or an ID: the channel's
// file id, or a file kept for every channel, "sha256:…", see store.Files).
type File struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	Size int64  `json:"size,omitempty"`
	Data []byte `json:"data,omitempty"`
}

// Requests a Reply can carry.
const (
	RequestContact  = "contact"
	RequestLocation = "location"
)

// Option is one choice offered with a Reply.
type Option struct {
	Data  string `json:"data"`  // what comes back in Input.Choice; at most 64 bytes
	Label string `json:"label"` // what the user sees
}
