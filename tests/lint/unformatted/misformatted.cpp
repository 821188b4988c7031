// Deliberately not formatted: tests/lint/check_clang_format.sh must name this file.
int   add( int a,int b ){return a+b;}
