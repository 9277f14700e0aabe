import {
  to = qomon_contact.ada
  id = "83854766"
}

# An e-mail address works as well: id = "mail:ada.lovelace@example.org"
