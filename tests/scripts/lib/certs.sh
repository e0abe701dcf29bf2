# tests/scripts/lib/certs.sh — test certificates made with openssl;
# sourced by transports.sh and interop/kamailio-transports.sh
# make_certs DIR IP...: DIR/ca.pem (a CA), DIR/otherca.pem (a CA nobody's
# certificate comes from), DIR/server.pem and DIR/server.key (signed by
# ca, subjectAltName the IPs given); openssl's output in DIR/openssl.log
make_certs() {
	local dir=$1 ip san='' n
	shift
	for ip in "$@"; do san="$san${san:+,}IP:$ip"; done
	for n in ca otherca; do
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
			-subj "/CN=sipflow test $n" -keyout "$dir/$n.key" \
			-out "$dir/$n.pem" >>"$dir/openssl.log" 2>&1
	done
	openssl req -newkey rsa:2048 -nodes -subj "/CN=sipflow roles" \
		-keyout "$dir/server.key" -out "$dir/server.csr" \
		>>"$dir/openssl.log" 2>&1
	printf 'subjectAltName=%s\n' "$san" >"$dir/san.ext"
	openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" \
		-CAkey "$dir/ca.key" -CAcreateserial -days 2 \
		-extfile "$dir/san.ext" -out "$dir/server.pem" \
		>>"$dir/openssl.log" 2>&1
}
