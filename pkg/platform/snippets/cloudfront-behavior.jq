# Definitions for the CloudFront programs, which change the one cache
# behavior serving $path and only add to it: input get-distribution-config's
# output, output the DistributionConfig for update-distribution. CloudFront
# applies the first cache behavior whose path pattern matches the path (*
# any characters, ? one, a leading / optional, case-sensitive), else the
# default one.
def glob: "^/?" + (ltrimstr("/") | split("") | map(. as $ch
  | if $ch == "*" then ".*" elif $ch == "?" then "." elif ("\\.+^${}()|[]" | index($ch)) != null then "\\" + $ch else $ch end)
  | join("")) + "$";
def serving($path): first((.CacheBehaviors.Items // []) | to_entries[] | select(.value.PathPattern as $p | $path | test($p | glob)) | ["CacheBehaviors", "Items", .key]) // ["DefaultCacheBehavior"];
def holds($x): any(.[]; . == $x);
def methods($m): {Quantity: ($m | length), Items: $m};
