#!/bin/sh
# An import program as business software might have one, used as a command target: it takes one message on
# standard input and files it into the Maildir named by its argument (written to tmp/, then renamed into new/),
# exiting 0 once it is stored. It keeps each delivery key it was given in the file's name, and a message it already
# holds under that key and with the same content is not stored again: handed over a second time after a crash
# (the daemon died before it recorded the first exit 0), it is still there once.
# A message with the header "X-Import: refuse" is refused (exit 1, with a reason on standard error); one with
# "X-Import: later" is to be tried again later (exit 75, EX_TEMPFAIL).
set -eu
maildir=$1
key=$EXCHANGE_MAIL_DELIVERY_KEY
name="$(date +%s).$key.$$"
cat > "$maildir/tmp/$name"
if grep -qi '^X-Import: refuse' "$maildir/tmp/$name"; then
    rm -f "$maildir/tmp/$name"
    echo "import: message $EXCHANGE_MAIL_MESSAGE_ID from $EXCHANGE_MAIL_MAILBOX rejected by rule X-Import" >&2
    exit 1
fi
if grep -qi '^X-Import: later' "$maildir/tmp/$name"; then
    rm -f "$maildir/tmp/$name"
    echo "import: queue busy, try again later" >&2
    exit 75
fi
for stored in "$maildir"/new/*."$key".* "$maildir"/cur/*."$key".*; do
    if [ -f "$stored" ] && cmp -s "$stored" "$maildir/tmp/$name"; then
        rm -f "$maildir/tmp/$name"
        exit 0
    fi
done
mv "$maildir/tmp/$name" "$maildir/new/$name"
