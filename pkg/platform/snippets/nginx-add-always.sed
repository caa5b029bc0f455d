# Adds `always` to every CORS add_header (Access-Control-*, Vary) that
# lacks it: each directive of a line (several may share one), names quoted
# or not (\x27 is a single quote, which the shell quoting cannot hold), in
# any case. A commented line stays. A directive that goes on over the next
# lines is joined into one line up to its ";" first; one named in a comment
# after a directive is not (joined, the next line would be commented out).
# The first substitution adds `always` to each; the second drops a doubled
# one, so a second run changes nothing.
/^[[:space:]]*#/!{
:join
/^([^#]*[;{[:space:]])?add_header[[:space:]]+["\x27]?(Access-Control-|Vary)[^;#]*$/I{$!N;s/[[:space:]]*\n[[:space:]]*/ /;t join
}
s/((^|[;{[:space:]])add_header[[:space:]]+["\x27]?(Access-Control-|Vary)[^;]*[^;[:space:]])[[:space:]]*;/\1 always;/Ig
s/([[:space:]]always)[[:space:]]+always;/\1;/g
}
